"""The Hà Nội demo: every seeder and its data, so the domain apps hold domain code only.

Each module here seeds one domain (`thidua.demo.<app>`) with a `seed(*, stdout)` function that is
idempotent; `manage.py seed_demo` runs them in order. This app sits above every domain app: it
may import any of them, and none imports it."""
