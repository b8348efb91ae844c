"""Demo practices: Long Biên's 37 models in two field groups, and exemplars with their stories.

The source document says Long Biên runs 37 emulation models in two field groups (urban beauty &
environment; social security) and that each residential group's Front committee keeps a model
for green, clean and beautiful streets. Since 1 July 2025 Quận Long Biên is gone: its wards are
carried by Phường Bồ Đề, Phường Long Biên, Phường Phúc Lợi and Phường Việt Hưng (checked against
the lineage of the 2024 wards), and `record_practice` refuses closed units, so the 37 originals
are recorded on those four wards and their residential groups ("Tổ dân phố N").

`seed_practices()` writes everything through the services, as the demo superuser `admin` (a
system actor when it is missing): every original is recorded, given a nurture plan, summarised
and replicated as far as its stage says; twelve are replicated into residential groups of Long
Biên and into wards elsewhere in Hà Nội (two of them a second time, from the replica); three
carry an audited override (a practice put back to discovered and paused, one summarised without
the nurturing stage, one replicated before its summary). Nine exemplars, persons and
collectives, are proposed with their deeds and stories; seven are verified, three featured, one
returned with a reason, one still waiting.

Idempotent: an original that exists (same unit, same title) is skipped with everything that
hangs from it, and so is an exemplar (same unit, same name). Each original is written in one
transaction with its plan, summary, stages and replications.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from thidua.core.actors import SystemActor
from thidua.org.models import Unit
from thidua.org.selectors import successor_map
from thidua.practices import services
from thidua.practices.models import Exemplar, Practice, Stage
from thidua.shared.models import Field

HANOI_CODE = "01"
LEGACY_LONG_BIEN = "004"  # Quận Long Biên in the 2024 tree
GROUP = "Tổ dân phố {n}"

# The current wards that carry old Long Biên (each is a successor of its 2024 wards).
BO_DE, LONG_BIEN, PHUC_LOI, VIET_HUNG = (
    "Phường Bồ Đề",
    "Phường Long Biên",
    "Phường Phúc Lợi",
    "Phường Việt Hưng",
)
HOME_WARDS = (BO_DE, LONG_BIEN, PHUC_LOI, VIET_HUNG)

# Same codes and names as the fields of the demo movements (`thidua.demo.movements.FIELDS`).
ENVIRONMENT = "my-quan-do-thi-moi-truong"
SOCIAL = "an-sinh-xa-hoi"
FIELDS = (
    (
        ENVIRONMENT,
        "Mỹ quan đô thị – môi trường",
        "Urban beauty and environment",
        "Keindahan kota dan lingkungan hidup",
    ),
    (SOCIAL, "An sinh xã hội", "Social security", "Jaminan sosial"),
)

D, N, S, R = Stage.DISCOVERED, Stage.NURTURED, Stage.SUMMARISED, Stage.REPLICATED


@dataclass(frozen=True)
class Replica:
    """A unit adopting a practice: a ward (group None) or one of its residential groups."""

    ward: str
    group: int | None
    started_on: dt.date
    adaptations: str
    stage: str = D  # how far the replica itself has come
    results: str = ""  # its summary, when it is summarised
    children: tuple[Replica, ...] = ()


@dataclass(frozen=True)
class Spec:
    ward: str
    group: int | None
    field: str
    title: str
    description: str
    started_on: dt.date
    stage: str  # the stage the original ends at
    results: str = ""  # the summary report's results (summarised and replicated ones)
    replicas: tuple[Replica, ...] = ()
    # an audited override: "back" (nurtured, then back to discovered and paused), "skip"
    # (summarised without nurturing), "early" (replicated before its summary)
    override: str = ""
    reason: str = ""


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


PRACTICES: tuple[Spec, ...] = (
    # --- replicated -------------------------------------------------------------------------
    Spec(
        BO_DE,
        3,
        ENVIRONMENT,
        "Tuyến phố văn minh, không rác thải",
        "Các hộ trên phố Nguyễn Văn Cừ đoạn qua tổ dân phố tự quản vệ sinh trước nhà, bỏ rác "
        "đúng giờ vào xe thu gom, không để rác, vật liệu xây dựng trên vỉa hè; tổ dân phố chấm "
        "điểm từng hộ hằng tháng và công khai trên bảng tin.",
        _d("2024-03-15"),
        R,
        results="48/48 hộ ký cam kết; không còn điểm rác tự phát sau 6 tháng; được Ủy ban nhân "
        "dân phường công nhận tuyến phố văn minh đô thị năm 2025.",
        replicas=(
            Replica(
                VIET_HUNG,
                4,
                _d("2025-09-01"),
                "Áp dụng cho hai ngõ trong khu tập thể, chấm điểm theo cầu thang thay vì theo hộ.",
            ),
            Replica(
                "Phường Hồng Hà",
                None,
                _d("2025-10-15"),
                "Triển khai trên tuyến phố ven đê có nhiều hộ kinh doanh; bổ sung cam kết của hộ "
                "kinh doanh về giờ bày hàng.",
                stage=S,
                results="Tuyến phố ven đê không còn lấn chiếm vỉa hè; 35 hộ kinh doanh ký cam "
                "kết, mô hình được phường chọn làm điểm.",
                children=(
                    Replica(
                        "Phường Hoàn Kiếm",
                        None,
                        _d("2026-05-20"),
                        "Gắn với tuyến phố đi bộ cuối tuần; ưu tiên giữ vệ sinh sau giờ đi bộ.",
                    ),
                ),
            ),
            Replica(
                "Phường Tây Hồ",
                None,
                _d("2026-03-01"),
                "Triển khai quanh hồ, phối hợp với các hộ kinh doanh dịch vụ ăn uống.",
            ),
        ),
    ),
    Spec(
        LONG_BIEN,
        None,
        ENVIRONMENT,
        "Tuyến đường hoa ven đê sông Hồng",
        "Vận động Nhân dân trồng và chăm sóc 2 km hoa giấy, hoa mười giờ dọc đường đê; mỗi tổ "
        "dân phố nhận chăm sóc một đoạn, gắn biển tên tổ và người phụ trách.",
        _d("2024-05-10"),
        R,
        results="2,1 km đường hoa, 14 tổ dân phố nhận chăm sóc; hơn 600 ngày công đóng góp; "
        "tuyến đê trở thành điểm tham quan, chụp ảnh của người dân.",
        replicas=(
            Replica(
                "Xã Bát Tràng",
                None,
                _d("2025-11-01"),
                "Trồng hoa trên tuyến đê dẫn vào làng gốm, kết hợp chậu gốm của các hộ làm nghề.",
                stage=N,
            ),
            Replica(
                "Xã Gia Lâm",
                None,
                _d("2026-02-15"),
                "Giao cho Chi đoàn thanh niên các thôn chăm sóc theo từng đoạn.",
            ),
        ),
    ),
    Spec(
        PHUC_LOI,
        4,
        ENVIRONMENT,
        "Đổi rác thải nhựa lấy quà tặng",
        "Mỗi sáng Chủ nhật cuối tháng, người dân mang chai nhựa, giấy vụn, vỏ lon đến nhà văn "
        "hóa đổi lấy cây xanh, túi vải, xà phòng; tiền bán phế liệu lập quỹ mua quà cho lần sau.",
        _d("2024-06-01"),
        R,
        results="Thu gom hơn 3,2 tấn rác tái chế trong 12 phiên; 70% hộ tham gia; quỹ tự cân "
        "đối, không cần ngân sách.",
        replicas=(
            Replica(
                PHUC_LOI,
                9,
                _d("2025-08-20"),
                "Tổ chức cùng phiên với tổ dân phố 4 để dùng chung điểm thu gom.",
            ),
            Replica(
                "Phường Cầu Giấy",
                None,
                _d("2025-12-05"),
                "Tổ chức tại sân các trường tiểu học, học sinh cùng tham gia.",
            ),
            Replica(
                "Phường Thanh Xuân",
                None,
                _d("2026-06-10"),
                "Phối hợp với một doanh nghiệp tái chế nhận toàn bộ phế liệu.",
            ),
        ),
    ),
    Spec(
        VIET_HUNG,
        2,
        ENVIRONMENT,
        "Phân loại rác thải tại nguồn",
        "Hộ gia đình phân loại rác hữu cơ, rác tái chế và rác còn lại vào ba thùng riêng; tổ "
        "tuyên truyền viên đến từng nhà hướng dẫn, công ty môi trường thu gom theo lịch.",
        _d("2024-04-20"),
        R,
        results="92% hộ phân loại đúng sau 4 tháng; lượng rác phải chôn lấp giảm khoảng 30%.",
        replicas=(
            Replica(VIET_HUNG, 7, _d("2025-08-05"), "Dùng thùng do Hội Phụ nữ phường hỗ trợ."),
            Replica(
                BO_DE,
                14,
                _d("2025-09-12"),
                "Bổ sung điểm thu gom rác tái chế cố định tại chân các tòa nhà chung cư.",
            ),
            Replica(
                "Phường Hà Đông",
                None,
                _d("2026-01-15"),
                "Thí điểm ở ba tổ dân phố trước khi mở rộng toàn phường.",
                stage=N,
            ),
            Replica(
                "Xã Đông Anh",
                None,
                _d("2026-04-22"),
                "Ủ rác hữu cơ tại vườn nhà thay vì thu gom.",
            ),
        ),
    ),
    Spec(
        BO_DE,
        None,
        SOCIAL,
        "Bữa cơm nghĩa tình",
        "Mỗi trưa thứ Bảy, Ủy ban MTTQ phường cùng các nhà hảo tâm nấu 200 suất cơm miễn phí cho "
        "người lao động tự do, người bệnh và người cao tuổi neo đơn; thực phẩm do các hộ kinh "
        "doanh trong phường đóng góp.",
        _d("2024-01-20"),
        R,
        results="Hơn 9.000 suất cơm trong năm đầu; 36 hộ kinh doanh, 4 doanh nghiệp đóng góp "
        "thường xuyên; được Thành phố biểu dương.",
        replicas=(
            Replica(
                LONG_BIEN,
                None,
                _d("2025-08-01"),
                "Nấu tại bếp của nhà văn hóa phường, phục vụ thêm bệnh nhân Bệnh viện Đức Giang.",
                stage=S,
                results="150 suất mỗi tuần; danh sách người nhận do các Ban công tác Mặt trận "
                "khu dân cư lập và rà soát hằng quý.",
                children=(
                    Replica(
                        "Phường Hoàng Mai",
                        None,
                        _d("2026-03-12"),
                        "Tổ chức hai lần mỗi tháng cho người lao động ngoại tỉnh thuê trọ.",
                    ),
                ),
            ),
            Replica(PHUC_LOI, None, _d("2025-10-01"), "Phát cơm hộp tại cổng chợ Phúc Lợi."),
            Replica(
                "Phường Hai Bà Trưng",
                None,
                _d("2026-01-08"),
                "Phục vụ người nhà bệnh nhân tại các bệnh viện trên địa bàn.",
            ),
        ),
    ),
    Spec(
        VIET_HUNG,
        5,
        SOCIAL,
        "Tủ sách cộng đồng",
        "Tủ sách đặt ở nhà văn hóa tổ dân phố, mở cửa chiều tối và cuối tuần; sách do các gia "
        "đình, cựu giáo chức quyên góp; sinh viên tình nguyện đọc sách cho thiếu nhi.",
        _d("2024-09-09"),
        R,
        results="1.200 đầu sách, hơn 300 lượt mượn mỗi tháng; thiếu nhi sinh hoạt đều đặn mỗi "
        "tối thứ Sáu.",
        replicas=(
            Replica(LONG_BIEN, 12, _d("2025-09-20"), "Tủ sách đặt tại sân chung cư."),
            Replica(
                "Phường Ba Đình",
                None,
                _d("2026-02-20"),
                "Kết nối với thư viện quận cũ để luân chuyển sách hằng quý.",
            ),
            Replica(
                "Phường Yên Hòa",
                None,
                _d("2026-04-11"),
                "Thêm góc sách điện tử cho người cao tuổi.",
            ),
        ),
    ),
    Spec(
        PHUC_LOI,
        3,
        SOCIAL,
        "Quỹ khuyến học dòng họ",
        "Các dòng họ trong tổ dân phố lập quỹ khuyến học, trao thưởng cho con cháu học giỏi và "
        "hỗ trợ học sinh có hoàn cảnh khó khăn vào dịp khai giảng và ngày giỗ tổ.",
        _d("2024-02-25"),
        R,
        results="5 dòng họ lập quỹ với tổng 180 triệu đồng; 64 suất học bổng trao trong năm "
        "học 2024 – 2025.",
        replicas=(
            Replica(
                "Xã Thanh Trì",
                None,
                _d("2025-09-15"),
                "Mở rộng thành quỹ khuyến học thôn, không chỉ theo dòng họ.",
            ),
            Replica(PHUC_LOI, 11, _d("2025-11-01"), "Hai dòng họ góp chung một quỹ."),
        ),
    ),
    Spec(
        BO_DE,
        9,
        SOCIAL,
        "Tủ bánh mì 0 đồng",
        "Tủ bánh mì đặt đầu ngõ, mỗi sáng có 100 ổ bánh mì miễn phí cho người lao động nghèo, "
        "người thu gom phế liệu; Chi hội Phụ nữ tổ dân phố trực phát và ghi sổ.",
        _d("2024-11-11"),
        R,
        results="Duy trì 100% số ngày trong năm; 11 nhà hảo tâm nhận tài trợ luân phiên.",
        replicas=(
            Replica(
                "Phường Cửa Nam",
                None,
                _d("2025-12-01"),
                "Đặt tại điểm chờ xe buýt gần ga Hà Nội.",
            ),
            Replica(LONG_BIEN, 18, _d("2026-01-20"), "Thêm sữa cho trẻ em vào cuối tuần."),
        ),
    ),
    Spec(
        LONG_BIEN,
        7,
        SOCIAL,
        "Camera an ninh tổ dân phố",
        "Các hộ góp kinh phí lắp 12 camera ở đầu ngõ, ngã rẽ và nhà văn hóa, kết nối với Công "
        "an phường; tổ tự quản an ninh trật tự xem lại hình ảnh khi có vụ việc.",
        _d("2024-07-15"),
        R,
        results="Không còn trộm cắp xe máy trong 10 tháng; hỗ trợ Công an phường làm rõ 3 vụ "
        "việc; 100% hộ đồng thuận đóng góp.",
        replicas=(
            Replica(LONG_BIEN, 8, _d("2025-08-10"), "Dùng chung đầu ghi với tổ dân phố 7."),
            Replica(LONG_BIEN, 9, _d("2025-08-25"), "Lắp thêm đèn chiếu sáng tại các camera."),
            Replica(BO_DE, 22, _d("2025-10-30"), "Camera gắn với loa phát thanh khu dân cư."),
            Replica(
                "Phường Tây Hồ",
                None,
                _d("2026-05-05"),
                "Lắp trên các ngõ ven hồ có nhiều khách du lịch.",
            ),
        ),
    ),
    Spec(
        BO_DE,
        12,
        ENVIRONMENT,
        "Con đường bích họa ven đê",
        "Họa sĩ và thanh niên tình nguyện vẽ tranh về cầu Long Biên, phố cổ, làng nghề lên 300 m "
        "tường ven đê từng bị viết vẽ bậy, dán quảng cáo rao vặt.",
        _d("2025-03-08"),
        R,
        results="300 m tường được làm đẹp; không còn quảng cáo rao vặt; tuyến đường thành điểm "
        "check-in của người dân và du khách.",
        replicas=(
            Replica(
                "Phường Hồng Hà",
                None,
                _d("2026-04-18"),
                "Vẽ trên tường chân cầu Chương Dương, chủ đề sông Hồng.",
            ),
        ),
    ),
    Spec(
        PHUC_LOI,
        None,
        SOCIAL,
        "Mái ấm nghĩa tình cho hộ khó khăn về nhà ở",
        "Ủy ban MTTQ phường vận động Quỹ “Vì người nghèo”, doanh nghiệp và Nhân dân góp tiền, "
        "ngày công xây mới, sửa chữa nhà cho hộ nghèo, hộ cận nghèo.",
        _d("2024-08-19"),
        R,
        results="7 căn nhà Đại đoàn kết được xây mới, sửa chữa; 820 triệu đồng và hơn 400 ngày "
        "công được vận động.",
        replicas=(
            Replica(
                VIET_HUNG,
                None,
                _d("2025-10-20"),
                "Ưu tiên hộ có người khuyết tật, người cao tuổi sống một mình.",
            ),
        ),
    ),
    Spec(
        LONG_BIEN,
        11,
        ENVIRONMENT,
        "Bãi sông Hồng xanh – sạch",
        "Tổ dân phố ven bãi sông tổ chức ra quân dọn rác, phát quang bãi bồi hai lần mỗi tháng, "
        "trồng tre chắn sóng và đặt biển cấm đổ phế thải.",
        _d("2025-01-12"),
        R,
        results="Xóa 5 điểm đổ phế thải tự phát; 1.500 cây tre được trồng dọc bãi bồi.",
        replicas=(
            Replica(
                "Xã Bát Tràng",
                None,
                _d("2026-03-22"),
                "Kết hợp thu gom phế phẩm gốm của các lò.",
            ),
        ),
    ),
    # --- summarised -------------------------------------------------------------------------
    Spec(
        VIET_HUNG,
        8,
        ENVIRONMENT,
        "Mỗi hộ một cây xanh",
        "Mỗi hộ nhận trồng và chăm sóc một cây xanh hoặc một bồn hoa trước cửa; tổ dân phố lập "
        "sổ theo dõi, thay cây chết vào mùa xuân.",
        _d("2024-10-01"),
        S,
        results="210 cây bóng mát và 90 bồn hoa; tỷ lệ cây sống 95%.",
    ),
    Spec(
        BO_DE,
        21,
        ENVIRONMENT,
        "Mái nhà xanh – vườn rau sạch trên sân thượng",
        "Các hộ trồng rau trên sân thượng bằng thùng xốp tái sử dụng, dùng phân ủ từ rác nhà bếp; "
        "rau dư được góp cho Bữa cơm nghĩa tình của phường.",
        _d("2025-02-14"),
        S,
        results="42 hộ có vườn rau sân thượng; mỗi tháng góp khoảng 150 kg rau cho bếp ăn từ "
        "thiện.",
        override="skip",
        reason="Mô hình đã vận hành ổn định từ năm 2022 dưới sự hướng dẫn của Hội Phụ nữ phường; "
        "Ban Thường trực đồng ý tổng kết ngay, không qua giai đoạn bồi dưỡng.",
    ),
    Spec(
        LONG_BIEN,
        None,
        SOCIAL,
        "Gian hàng 0 đồng",
        "Gian hàng quần áo, đồ dùng học tập, đồ gia dụng cũ còn tốt mở mỗi sáng Chủ nhật tại nhà "
        "văn hóa phường, người khó khăn tự chọn đồ cần dùng.",
        _d("2024-12-01"),
        S,
        results="Hơn 6.000 món đồ được trao tặng; 25 tình nguyện viên trực luân phiên.",
    ),
    Spec(
        BO_DE,
        15,
        SOCIAL,
        "Mẹ đỡ đầu trẻ em mồ côi",
        "Mỗi hội viên phụ nữ nhận đỡ đầu một trẻ mồ côi, thăm hỏi hằng tháng, hỗ trợ học phí và "
        "đồ dùng học tập đến khi trẻ đủ 18 tuổi.",
        _d("2025-01-06"),
        S,
        results="9 trẻ có mẹ đỡ đầu; 100% các em duy trì việc học.",
    ),
    Spec(
        PHUC_LOI,
        12,
        ENVIRONMENT,
        "Sân chơi cộng đồng từ vật liệu tái chế",
        "Thanh niên và phụ huynh dùng lốp xe, pallet gỗ, ống nhựa cũ làm sân chơi cho thiếu nhi "
        "trên khu đất trống từng là bãi rác.",
        _d("2025-04-18"),
        S,
        results="Một sân chơi 400 m²; 1,2 tấn vật liệu tái chế; chi phí bằng một phần năm làm mới.",
    ),
    Spec(
        VIET_HUNG,
        None,
        SOCIAL,
        "Câu lạc bộ dưỡng sinh người cao tuổi",
        "Câu lạc bộ tập dưỡng sinh mỗi sáng tại công viên, đo huyết áp miễn phí hằng tháng với "
        "sự giúp đỡ của Trạm y tế phường.",
        _d("2024-03-03"),
        S,
        results="160 hội viên; phát hiện sớm và đưa đi điều trị 23 trường hợp tăng huyết áp.",
    ),
    Spec(
        LONG_BIEN,
        14,
        SOCIAL,
        "Lớp học tình thương",
        "Giáo viên nghỉ hưu dạy miễn phí các buổi tối cho con em lao động ngoại tỉnh thuê trọ "
        "chưa có điều kiện học thêm.",
        _d("2025-05-25"),
        S,
        results="3 lớp, 58 học sinh; 12 em được hỗ trợ chuyển vào trường công lập.",
    ),
    Spec(
        BO_DE,
        None,
        ENVIRONMENT,
        "Chợ dân sinh nói không với túi ni-lông",
        "Ban quản lý chợ và các tiểu thương cam kết dùng túi giấy, túi vải, lá chuối gói hàng; "
        "Hội Phụ nữ phường tặng 5.000 túi vải cho người đi chợ.",
        _d("2025-06-05"),
        S,
        results="80 tiểu thương tham gia; lượng túi ni-lông sử dụng giảm khoảng 60%.",
    ),
    # --- being nurtured ---------------------------------------------------------------------
    Spec(
        LONG_BIEN,
        23,
        SOCIAL,
        "Xe nghĩa tình đưa người cao tuổi đi khám bệnh",
        "Các hộ có ô tô đăng ký lịch đưa người cao tuổi neo đơn, người khuyết tật đi khám, lĩnh "
        "thuốc định kỳ tại bệnh viện.",
        _d("2025-08-12"),
        N,
        replicas=(
            Replica(
                LONG_BIEN,
                24,
                _d("2025-11-15"),
                "Ghép lịch với tổ dân phố 23, dùng chung nhóm tài xế tình nguyện.",
            ),
        ),
        override="early",
        reason="Nhiều cụ cao tuổi ở tổ dân phố 24 cần đi khám định kỳ ngay; Ban Thường trực phường "
        "đồng ý triển khai song song khi mô hình đang bồi dưỡng.",
    ),
    Spec(
        VIET_HUNG,
        11,
        ENVIRONMENT,
        "Ngõ phố sáng đèn",
        "Các hộ góp kinh phí lắp đèn năng lượng mặt trời trong các ngõ nhỏ chưa có chiếu sáng "
        "công cộng.",
        _d("2025-09-02"),
        N,
    ),
    Spec(
        BO_DE,
        18,
        ENVIRONMENT,
        "Vỉa hè thông thoáng, không lấn chiếm",
        "Hộ kinh doanh ký cam kết không bày hàng, để xe trên vỉa hè ngoài vạch sơn; tổ dân phố "
        "nhắc nhở, phối hợp với lực lượng trật tự đô thị.",
        _d("2025-07-20"),
        N,
    ),
    Spec(
        PHUC_LOI,
        7,
        SOCIAL,
        "Vốn xoay vòng giúp phụ nữ khó khăn",
        "Chi hội Phụ nữ góp vốn cho hội viên khó khăn vay không lãi để buôn bán nhỏ, trả dần theo "
        "tháng để người sau được vay.",
        _d("2025-03-30"),
        N,
    ),
    Spec(
        VIET_HUNG,
        6,
        SOCIAL,
        "Hũ gạo tình thương",
        "Mỗi hộ bớt một nắm gạo mỗi ngày vào hũ chung; cuối tháng gạo được trao cho hộ nghèo, "
        "người già neo đơn.",
        _d("2025-10-10"),
        N,
    ),
    Spec(
        BO_DE,
        25,
        SOCIAL,
        "Điểm sơ cứu ban đầu tại khu dân cư",
        "Tủ sơ cứu tại nhà văn hóa và 10 người dân được Hội Chữ thập đỏ tập huấn sơ cấp cứu, "
        "trực qua nhóm liên lạc của tổ dân phố.",
        _d("2025-11-03"),
        N,
    ),
    Spec(
        PHUC_LOI,
        None,
        ENVIRONMENT,
        "Chủ nhật xanh",
        "Sáng Chủ nhật đầu tháng, cán bộ, đoàn viên và Nhân dân toàn phường ra quân tổng vệ sinh, "
        "khơi thông cống rãnh, trồng cây trên các tuyến phố.",
        _d("2025-05-11"),
        N,
    ),
    Spec(
        LONG_BIEN,
        2,
        ENVIRONMENT,
        "Thu gom pin và rác thải nguy hại",
        "Hộp thu gom pin, bóng đèn hỏng, vỏ bình xịt côn trùng đặt tại nhà văn hóa; công ty môi "
        "trường thu gom theo quý.",
        _d("2025-09-20"),
        N,
    ),
    Spec(
        PHUC_LOI,
        10,
        SOCIAL,
        "Sân chơi hè cho thiếu nhi",
        "Trong ba tháng hè, sinh viên tình nguyện tổ chức sinh hoạt, dạy bơi, kỹ năng sống miễn "
        "phí cho thiếu nhi của tổ dân phố.",
        _d("2026-05-15"),
        N,
    ),
    # --- discovered -------------------------------------------------------------------------
    Spec(
        LONG_BIEN,
        20,
        ENVIRONMENT,
        "Điểm tập kết rác đúng giờ, đúng chỗ",
        "Các hộ chỉ mang rác ra điểm tập kết trong khung giờ xe thu gom đến; tổ dân phố gắn "
        "biển giờ thu gom và nhắc nhở qua loa phát thanh.",
        _d("2025-10-05"),
        D,
        override="back",
        reason="Tuyến phố đang thi công cải tạo hạ tầng thoát nước, mô hình tạm dừng; đánh giá "
        "lại khi công trình hoàn thành.",
    ),
    Spec(
        VIET_HUNG,
        None,
        SOCIAL,
        "Kết nối việc làm cho thanh niên",
        "Đoàn Thanh niên phường lập danh sách thanh niên chưa có việc làm, kết nối với doanh "
        "nghiệp trong khu công nghiệp Sài Đồng B và các lớp học nghề.",
        _d("2026-03-01"),
        D,
    ),
    Spec(
        PHUC_LOI,
        9,
        ENVIRONMENT,
        "Ủ phân hữu cơ từ rác thải nhà bếp",
        "Hộ gia đình ủ vỏ rau, bã chè bằng chế phẩm vi sinh trong thùng kín, dùng phân bón cho "
        "cây xanh của tổ dân phố.",
        _d("2026-04-10"),
        D,
    ),
    Spec(
        BO_DE,
        27,
        ENVIRONMENT,
        "Vườn hoa từ bãi rác tự phát",
        "Khu đất trống cuối ngõ, nhiều năm bị đổ rác, được các hộ dọn sạch, kè gạch và trồng hoa, "
        "đặt ghế đá cho người cao tuổi.",
        _d("2026-06-12"),
        D,
    ),
    Spec(
        LONG_BIEN,
        26,
        SOCIAL,
        "Suất ăn cho người bệnh chạy thận",
        "Các gia đình trong tổ dân phố thay nhau nấu suất ăn dinh dưỡng cho người bệnh chạy thận "
        "nhân tạo có hoàn cảnh khó khăn.",
        _d("2026-07-01"),
        D,
    ),
    Spec(
        VIET_HUNG,
        12,
        ENVIRONMENT,
        "Tổ tự quản giữ sạch hồ điều hòa",
        "Tổ tự quản gồm người cao tuổi và thanh niên vớt rác, nhắc nhở không câu cá, không xả "
        "nước thải xuống hồ.",
        _d("2026-08-08"),
        D,
    ),
    Spec(
        BO_DE,
        29,
        SOCIAL,
        "Ngân hàng thời gian chăm sóc người cao tuổi",
        "Người dân góp giờ chăm sóc, trò chuyện với người cao tuổi sống một mình; số giờ được ghi "
        "lại để sau này chính họ được nhận lại.",
        _d("2026-09-14"),
        D,
    ),
    Spec(
        PHUC_LOI,
        14,
        SOCIAL,
        "Tủ thuốc nhân đạo",
        "Tủ thuốc thông thường miễn phí tại nhà văn hóa, do một dược sĩ nghỉ hưu quản lý, phát "
        "thuốc theo hướng dẫn của trạm y tế.",
        _d("2026-10-03"),
        D,
    ),
)

LESSONS = {
    ENVIRONMENT: (
        "Thành công nhờ người đứng đầu khu dân cư gương mẫu làm trước, bàn bạc dân chủ với các "
        "hộ, công khai kết quả chấm điểm trên bảng tin và nhóm liên lạc của tổ dân phố."
    ),
    SOCIAL: (
        "Huy động được nguồn lực xã hội khi công khai minh bạch từng khoản đóng góp và danh sách "
        "người được hỗ trợ; lấy sự tự nguyện, vừa sức của các gia đình làm gốc."
    ),
}
HOW_TO_REPLICATE = {
    ENVIRONMENT: (
        "Họp khu dân cư thống nhất quy ước; chọn một tuyến ngõ làm điểm; phân công hộ phụ trách; "
        "sơ kết sau 3 tháng rồi mở rộng; gắn với bình xét gia đình văn hóa cuối năm."
    ),
    SOCIAL: (
        "Lập danh sách người cần giúp cùng Ban công tác Mặt trận; vận động nhà hảo tâm nhận phần "
        "việc cố định; cử người ghi sổ, báo cáo thu chi hằng quý với khu dân cư."
    ),
}


@dataclass(frozen=True)
class ExemplarSpec:
    ward: str
    group: int | None
    kind: str
    name: str
    deeds: str
    story: str
    practices: tuple[str, ...]  # titles of originals of the ward or its residential groups
    decision: str = "verified"  # "verified", "returned" or "" (still proposed)
    reason: str = ""  # why it was returned
    featured: bool = False
    put_forward: bool = False


PERSON, COLLECTIVE = Exemplar.Kind.PERSON, Exemplar.Kind.COLLECTIVE

EXEMPLARS: tuple[ExemplarSpec, ...] = (
    ExemplarSpec(
        BO_DE,
        3,
        PERSON,
        "Bà Nguyễn Thị Thu Hà",
        "Tổ trưởng tổ dân phố, người khởi xướng mô hình “Tuyến phố văn minh, không rác thải”.",
        "Hơn bảy mươi tuổi, sáng nào bà Hà cũng đi một vòng tuyến phố, nhặt từng mẩu rác, gõ cửa "
        "từng nhà để thuyết phục. Nhờ sự bền bỉ của bà, 48 hộ cùng ký cam kết, và tuyến phố từng "
        "là điểm nóng rác thải nay thành tuyến phố văn minh mà nhiều phường đến học cách làm.",
        ("Tuyến phố văn minh, không rác thải",),
        featured=True,
    ),
    ExemplarSpec(
        LONG_BIEN,
        7,
        PERSON,
        "Ông Trần Văn Bình",
        "Cựu chiến binh, tổ trưởng tổ tự quản an ninh trật tự; vận động lắp 12 camera an ninh.",
        "Ông Bình tự tay đi khảo sát từng ngã rẽ, vẽ sơ đồ đặt camera và vận động từng hộ góp "
        "tiền. Mỗi đêm ông vẫn cùng tổ tự quản đi tuần; từ khi có camera, ngõ phố không còn "
        "xảy ra trộm cắp.",
        ("Camera an ninh tổ dân phố",),
    ),
    ExemplarSpec(
        BO_DE,
        None,
        PERSON,
        "Bà Lê Thị Mai",
        "Bếp trưởng tình nguyện của “Bữa cơm nghĩa tình” suốt hai năm, không nghỉ buổi nào.",
        "Từ bốn giờ sáng thứ Bảy, bà Mai đã có mặt ở chợ chọn thực phẩm, rồi đứng bếp cùng các "
        "tình nguyện viên đến trưa. Bà nói chỉ cần thấy người lao động nghèo có bữa cơm nóng là "
        "đủ vui; hơn chín nghìn suất cơm đã đi qua đôi tay của bà.",
        ("Bữa cơm nghĩa tình",),
        featured=True,
        put_forward=True,
    ),
    ExemplarSpec(
        PHUC_LOI,
        3,
        PERSON,
        "Ông Phạm Quang Huy",
        "Trưởng họ Phạm, người đầu tiên lập quỹ khuyến học dòng họ ở tổ dân phố.",
        "Ông Huy góp khoản tiền đầu tiên từ lương hưu của mình và đi vận động con cháu xa quê "
        "cùng góp. Năm nào ông cũng tự tay trao học bổng, dặn các cháu học giỏi để mai này giúp "
        "lại quê hương.",
        ("Quỹ khuyến học dòng họ",),
    ),
    ExemplarSpec(
        VIET_HUNG,
        5,
        PERSON,
        "Chị Đỗ Thị Hương",
        "Giáo viên, người quản lý tủ sách cộng đồng và đọc sách cho thiếu nhi mỗi tối thứ Sáu.",
        "Chị Hương biến phòng sinh hoạt bỏ trống của tổ dân phố thành góc đọc sách ấm cúng. Các "
        "em nhỏ gọi chị là “cô thủ thư” và mỗi tối thứ Sáu lại rủ nhau đến nghe kể chuyện.",
        ("Tủ sách cộng đồng",),
        decision="",
    ),
    ExemplarSpec(
        BO_DE,
        3,
        COLLECTIVE,
        "Ban công tác Mặt trận Tổ dân phố 3",
        "Tập thể tiêu biểu: duy trì mô hình “Tuyến phố văn minh, không rác thải”, tổ dân phố văn "
        "hóa ba năm liền.",
        "Ban công tác Mặt trận họp với dân mỗi tháng một lần, lắng nghe, bàn bạc rồi cùng làm. "
        "Cách làm của tổ đã được nhân rộng ra các phường trong và ngoài Long Biên.",
        ("Tuyến phố văn minh, không rác thải",),
        featured=True,
    ),
    ExemplarSpec(
        BO_DE,
        9,
        COLLECTIVE,
        "Chi hội Phụ nữ Tổ dân phố 9",
        "Trực phát “Tủ bánh mì 0 đồng” mỗi sáng, không bỏ ngày nào kể cả ngày mưa bão.",
        "Mười hai chị em chia nhau trực từ sáu giờ sáng, ghi sổ từng ổ bánh mì và gọi điện cho "
        "nhà hảo tâm khi thiếu. Tủ bánh mì nhỏ của chi hội đã lan sang nhiều phường khác.",
        ("Tủ bánh mì 0 đồng",),
    ),
    ExemplarSpec(
        VIET_HUNG,
        None,
        COLLECTIVE,
        "Câu lạc bộ Cựu chiến binh phường Việt Hưng",
        "Nòng cốt phân loại rác tại nguồn và tổ tự quản bảo vệ hồ điều hòa.",
        "Các cựu chiến binh đến từng nhà hướng dẫn phân loại rác, làm gương từ chính gia đình "
        "mình. Câu lạc bộ nhận chăm sóc hồ điều hòa và tuần tra mỗi sáng sớm.",
        ("Phân loại rác thải tại nguồn", "Tổ tự quản giữ sạch hồ điều hòa"),
    ),
    ExemplarSpec(
        LONG_BIEN,
        None,
        COLLECTIVE,
        "Đoàn Thanh niên phường Long Biên",
        "Xung kích ra quân dọn bãi sông, chăm sóc tuyến đường hoa ven đê.",
        "Hai lần mỗi tháng, đoàn viên thanh niên ra bãi sông thu gom rác và phát quang. Nhiều "
        "bạn trẻ lần đầu biết đến công việc của Mặt trận qua những buổi ra quân này.",
        ("Tuyến đường hoa ven đê sông Hồng",),
        decision="returned",
        reason="Đề nghị bổ sung ảnh các đợt ra quân và xác nhận của Ban công tác Mặt trận các khu "
        "dân cư nơi đoàn thanh niên hoạt động.",
    ),
)


class DemoDataMissing(Exception):
    """The unit tree the demo needs is not there (run `seed_demo` or `import_vietnam`)."""


@dataclass
class Places:
    """The wards and residential groups the demo names, looked up once."""

    wards: dict[str, Unit]
    groups: dict[tuple[int, int], Unit]  # (ward id, number) -> residential group
    hanoi: Unit

    def unit(self, ward: str, group: int | None) -> Unit:
        unit = self.wards[ward]
        return unit if group is None else self.groups[(unit.pk, group)]


def ward_names() -> set[str]:
    """Every ward the demo writes to: the four of old Long Biên and those that replicate."""

    def walk(replicas: tuple[Replica, ...]) -> set[str]:
        return {r.ward for r in replicas} | {w for r in replicas for w in walk(r.children)}

    names = set(HOME_WARDS)
    for spec in PRACTICES:
        names |= walk(spec.replicas)
    return names


def _places() -> Places:
    hanoi = Unit.objects.filter(
        code=HANOI_CODE, kind__code="province", valid_to__isnull=True
    ).first()
    if hanoi is None:
        raise DemoDataMissing("Thành phố Hà Nội is missing: run `manage.py seed_demo` first.")
    names = ward_names()
    wards = {
        unit.name: unit
        for unit in Unit.objects.filter(
            parent=hanoi, kind__code="ward", valid_to__isnull=True, name__in=names
        ).select_related("kind")
    }
    missing = sorted(names - set(wards))
    if missing:
        raise DemoDataMissing(
            f"Wards missing from today's Hà Nội tree: {', '.join(missing)}. "
            "Run `manage.py seed_demo` first."
        )
    _check_long_bien(hanoi, [wards[name] for name in HOME_WARDS])
    home_ids = [wards[name].pk for name in HOME_WARDS]
    groups = {}
    for unit in Unit.objects.filter(
        parent_id__in=home_ids,
        kind__code="residential_area",
        valid_to__isnull=True,
        name__startswith="Tổ dân phố ",
    ).select_related("kind"):
        number = unit.name.removeprefix("Tổ dân phố ")
        if number.isdigit():
            groups[(unit.parent_id, int(number))] = unit
    needed = _needed_groups()
    lacking = sorted(
        f"{ward} / {GROUP.format(n=n)}" for ward, n in needed if (wards[ward].pk, n) not in groups
    )
    if lacking:
        raise DemoDataMissing(
            f"Residential groups missing: {', '.join(lacking)}. Run `manage.py seed_demo` first."
        )
    return Places(wards=wards, groups=groups, hanoi=hanoi)


def _needed_groups() -> set[tuple[str, int]]:
    def walk(replicas: tuple[Replica, ...]) -> set[tuple[str, int]]:
        out = {(r.ward, r.group) for r in replicas if r.group is not None}
        for replica in replicas:
            out |= walk(replica.children)
        return out

    needed: set[tuple[str, int]] = set()
    for spec in PRACTICES:
        if spec.group is not None:
            needed.add((spec.ward, spec.group))
        needed |= walk(spec.replicas)
    for exemplar in EXEMPLARS:
        if exemplar.group is not None:
            needed.add((exemplar.ward, exemplar.group))
    return needed


def _check_long_bien(hanoi: Unit, home: list[Unit]) -> None:
    """The four wards must carry the 2024 wards of Quận Long Biên (the 2025 reform's lineage)."""
    legacy = list(
        Unit.objects.filter(
            parent__parent=hanoi,
            parent__code=LEGACY_LONG_BIEN,
            kind__code="ward",
            valid_to__isnull=False,
        ).values_list("pk", flat=True)
    )
    if not legacy:
        raise DemoDataMissing("The 2024 wards of Quận Long Biên are missing: run `seed_demo`.")
    carriers = {
        successor.unit_id
        for successors in successor_map(unit_ids=legacy).values()
        for successor in successors
    }
    strangers = [unit.name for unit in home if unit.pk not in carriers]
    if strangers:
        raise DemoDataMissing(f"{', '.join(strangers)} do not carry old Long Biên today.")


def _actor() -> Any:
    admin = get_user_model().objects.filter(username="admin", is_active=True).first()
    if admin is None or not admin.is_superuser:
        return SystemActor("seed_practices")
    return admin


def _fields() -> dict[str, Field]:
    """The two field groups (reference data, not edited if they exist)."""
    out = {}
    for code, vi, en, id_ in FIELDS:
        out[code], _created = Field.objects.get_or_create(
            code=code, defaults={"name_vi": vi, "name_en": en, "name_id": id_}
        )
    return out


# --- writing --------------------------------------------------------------------------------


class _Seeder:
    def __init__(self, actor: Any, places: Places, fields: dict[str, Field], today: dt.date):
        self.actor = actor
        self.places = places
        self.fields = fields
        self.today = today
        self.replications = 0

    def day(self, day: dt.date) -> dt.date:
        """Demo dates never lie in the future of the day the demo is loaded."""
        return min(day, self.today)

    def mentor(self, unit: Unit) -> Unit:
        """A residential group is mentored by its ward, a ward by the city."""
        return self.places.hanoi if unit.kind.code == "ward" else unit.parent

    def original(self, spec: Spec) -> Practice:
        unit = self.places.unit(spec.ward, spec.group)
        practice = services.record_practice(
            self.actor,
            owner_unit=unit,
            title=spec.title,
            field=self.fields[spec.field],
            description=spec.description,
            started_on=self.day(spec.started_on),
            note=f"Ban công tác Mặt trận {_lower(unit.name)} đăng ký mô hình.",
        )
        if spec.override == "skip":
            self.summary(practice, spec.field, spec.results)
            services.move_stage(
                self.actor,
                practice=practice,
                to_stage=S,
                note="Tổng kết mô hình.",
                override_reason=spec.reason,
            )
        elif spec.stage != D or spec.override == "back":
            self.nurture(practice, spec.started_on)
            if spec.override == "back":
                services.move_stage(
                    self.actor, practice=practice, to_stage=D, override_reason=spec.reason
                )
                services.set_active(self.actor, practice=practice, active=False)
            elif spec.stage in (S, R):
                self.summary(practice, spec.field, spec.results)
                services.move_stage(
                    self.actor,
                    practice=practice,
                    to_stage=S,
                    note="Hội nghị tổng kết mô hình, đề nghị nhân rộng.",
                )
        for replica in spec.replicas:
            early = spec.reason if spec.override == "early" else ""
            self.replicate(practice, spec.field, replica, early)
        return practice

    def nurture(self, practice: Practice, started_on: dt.date) -> None:
        services.set_nurture_plan(
            self.actor,
            practice=practice,
            mentoring_unit=self.mentor(practice.owner_unit),
            goals=(
                f"Duy trì, hoàn thiện mô hình “{practice.title}”, đánh giá hiệu quả sau 6 tháng "
                "và chuẩn bị tài liệu để nhân rộng."
            ),
            checkpoints=[
                (
                    "Khảo sát, thống nhất cách làm với các hộ",
                    started_on + dt.timedelta(days=60),
                ),
                (
                    "Sơ kết 6 tháng, báo cáo Ban Thường trực",
                    started_on + dt.timedelta(days=180),
                ),
            ],
        )
        services.move_stage(
            self.actor,
            practice=practice,
            to_stage=N,
            note="Ban Thường trực đánh giá mô hình có hiệu quả, đưa vào bồi dưỡng.",
        )

    def summary(self, practice: Practice, field_code: str, results: str) -> None:
        services.write_summary(
            self.actor,
            practice=practice,
            results=results,
            lessons=LESSONS[field_code],
            how_to_replicate=HOW_TO_REPLICATE[field_code],
        )

    def replicate(
        self, source: Practice, field_code: str, spec: Replica, override_reason: str = ""
    ) -> Practice:
        replica = services.replicate(
            self.actor,
            source=source,
            adopting_unit=self.places.unit(spec.ward, spec.group),
            started_on=self.day(spec.started_on),
            adaptations=spec.adaptations,
            override_reason=override_reason,
        )
        self.replications += 1
        if spec.stage in (N, S):
            self.nurture(replica, spec.started_on)
        if spec.stage == S:
            self.summary(replica, field_code, spec.results)
            services.move_stage(self.actor, practice=replica, to_stage=S)
        for child in spec.children:
            self.replicate(replica, field_code, child)
        return replica

    def exemplar(self, spec: ExemplarSpec) -> None:
        ward = self.places.wards[spec.ward]
        practices = Practice.objects.filter(
            source__isnull=True, title__in=spec.practices, owner_unit__path__startswith=ward.path
        )
        exemplar = services.propose_exemplar(
            self.actor,
            owner_unit=self.places.unit(spec.ward, spec.group),
            kind=spec.kind,
            name=spec.name,
            deeds=spec.deeds,
            story=spec.story,
            practices=list(practices),
        )
        if spec.decision:
            services.verify_exemplar(
                self.actor,
                exemplar=exemplar,
                accept=spec.decision == "verified",
                reason=spec.reason,
            )
        if spec.featured or spec.put_forward:
            services.feature_exemplar(
                self.actor,
                exemplar=exemplar,
                featured=spec.featured,
                put_forward=spec.put_forward or None,
            )


def seed_practices(*, stdout: TextIO | None = None) -> dict[str, Any]:
    """Create Long Biên's 37 practices and the exemplars (skipping those that exist); return
    what was done."""
    started = time.perf_counter()
    places = _places()
    fields = _fields()
    seeder = _Seeder(_actor(), places, fields, timezone.localdate())
    existing = set(
        Practice.objects.filter(source__isnull=True).values_list("owner_unit_id", "title")
    )
    created = skipped = 0
    for spec in PRACTICES:
        unit = places.unit(spec.ward, spec.group)
        if (unit.pk, spec.title) in existing:
            skipped += 1
            continue
        with transaction.atomic():
            seeder.original(spec)
        created += 1

    existing_exemplars = set(Exemplar.objects.values_list("owner_unit_id", "name"))
    exemplars_created = exemplars_skipped = 0
    for spec in EXEMPLARS:
        unit = places.unit(spec.ward, spec.group)
        if (unit.pk, spec.name) in existing_exemplars:
            exemplars_skipped += 1
            continue
        with transaction.atomic():
            seeder.exemplar(spec)
        exemplars_created += 1

    summary = {
        "created": created,
        "skipped": skipped,
        "replications": seeder.replications,
        "exemplars_created": exemplars_created,
        "exemplars_skipped": exemplars_skipped,
        "stages": stage_counts(),
        "seconds": round(time.perf_counter() - started, 2),
    }
    if stdout is not None:
        stages = ", ".join(f"{stage} {n}" for stage, n in summary["stages"].items())
        stdout.write(
            f"Practices created: {created}, already there: {skipped}; replications created: "
            f"{seeder.replications}\n"
            f"Originals by stage: {stages}\n"
            f"Exemplars created: {exemplars_created}, already there: {exemplars_skipped} "
            f"({summary['seconds']} s)\n"
        )
    return summary


def stage_counts() -> dict[str, int]:
    """Originals (not replications) by stage, in the order of the stages."""
    counts = dict(
        Practice.objects.filter(source__isnull=True)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {stage: counts.get(stage, 0) for stage in Stage.values}


def _lower(name: str) -> str:
    """A name inside a sentence: "Tổ dân phố 3" -> "tổ dân phố 3"."""
    return name[:1].lower() + name[1:]


def seed(*, stdout: TextIO | None = None) -> dict:
    """The `seed_demo` step (and `manage.py seed_practices`); a CommandError without the tree."""
    try:
        return seed_practices(stdout=stdout)
    except DemoDataMissing as error:
        raise CommandError(str(error)) from error
