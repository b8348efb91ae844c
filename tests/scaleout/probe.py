"""A task that counts its runs in Redis, for the exactly-once check across workers."""

import time

from django_tasks import task


@task()
def count_run(key: str) -> int:
    import django_rq
    from rq import get_current_job

    redis = django_rq.get_connection("default")
    runs = redis.incr(f"scaleout:runs:{key}")
    redis.sadd("scaleout:workers", get_current_job().worker_name)
    time.sleep(0.2)  # long enough that both workers take some
    return runs
