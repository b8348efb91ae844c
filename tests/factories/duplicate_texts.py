"""Real Vietnamese, Indonesian and English initiative texts and the rewrites (paraphrase, copy-edit,
partial copy) the near-duplicate tests and the council-intelligence journey use."""

import unicodedata

from thidua.initiatives import duplicates

WATER = {
    "title": "Bể lọc nước mưa ba tầng cho tổ dân phố",
    "summary": (
        "Tổ dân phố số 5 xây dựng bể lọc nước mưa ba tầng đặt tại nhà văn hoá, cung cấp nước "
        "sạch cho 120 hộ dân vào mùa khô."
    ),
    "description": (
        "Bể lọc gồm ba lớp sỏi, cát thạch anh và than hoạt tính, làm từ vật liệu sẵn có ở địa "
        "phương. Nước mưa từ mái nhà văn hoá được dẫn qua máng tôn vào bể chứa dung tích tám "
        "mét khối. Mỗi tuần, thanh niên tình nguyện thay rửa lớp cát và ghi nhật ký chất lượng "
        "nước. Kinh phí xây dựng khoảng mười lăm triệu đồng do các hộ dân tự nguyện đóng góp. "
        "Sau sáu tháng vận hành, các hộ tiết kiệm trung bình ba mươi phần trăm tiền nước và "
        "không còn phải mua nước bình."
    ),
}
LIGHTS = {
    "title": "Đèn đường năng lượng mặt trời cho ngõ nhỏ",
    "summary": (
        "Chi hội phụ nữ vận động lắp đặt hai mươi bốn đèn năng lượng mặt trời dọc các ngõ tối "
        "của phường, giúp người dân đi lại an toàn ban đêm."
    ),
    "description": (
        "Mỗi đèn có tấm pin riêng và cảm biến chuyển động nên không tốn tiền điện. Các gia đình "
        "góp tiền mua đèn, đoàn thanh niên nhận lắp đặt vào cột bê tông có sẵn. Từ khi có đèn, "
        "số vụ trộm cắp xe máy trong khu vực giảm rõ rệt theo báo cáo của công an phường. Mô "
        "hình dễ nhân rộng vì chi phí mỗi đèn chỉ khoảng một triệu hai trăm nghìn đồng."
    ),
}
WASTE = {
    "title": "Phân loại rác tại nguồn ở khu dân cư",
    "summary": (
        "Các hộ dân được phát hai thùng rác và hướng dẫn tách rác hữu cơ để ủ phân bón cho "
        "vườn rau chung của tổ dân phố."
    ),
    "description": (
        "Ban công tác mặt trận tổ chức ba buổi tập huấn về cách phân loại rác. Rác hữu cơ được "
        "ủ bằng chế phẩm vi sinh trong thùng nhựa có nắp, sau bốn mươi ngày thành phân bón. "
        "Rác tái chế được bán lấy tiền góp vào quỹ khuyến học. Lượng rác phải chở đi chôn lấp "
        "giảm gần một nửa sau ba tháng thực hiện."
    ),
}
SAMPAH = {
    "title": "Bank sampah warga untuk kebersihan kampung",
    "summary": (
        "Warga RT 03 mendirikan bank sampah yang menukar sampah plastik dan kertas dengan "
        "tabungan, sehingga lingkungan lebih bersih dan warga mendapat penghasilan tambahan."
    ),
    "description": (
        "Setiap hari Sabtu pengurus menimbang sampah yang dibawa warga dan mencatatnya di buku "
        "tabungan. Sampah dijual kepada pengepul setiap bulan. Dalam enam bulan terkumpul tiga "
        "ton sampah plastik dan saldo tabungan warga mencapai dua belas juta rupiah. Selokan "
        "tidak lagi tersumbat sehingga banjir kecil di musim hujan berkurang."
    ),
}
POSYANDU = {
    "title": "Posyandu lansia keliling di desa terpencil",
    "summary": (
        "Kader kesehatan membawa layanan pemeriksaan tekanan darah dan gula darah ke rumah "
        "lansia yang tidak dapat datang ke puskesmas."
    ),
    "description": (
        "Setiap dua minggu bidan desa dan empat kader berkeliling dengan sepeda motor. Hasil "
        "pemeriksaan dicatat dalam kartu sehat yang disimpan keluarga. Lansia dengan tekanan "
        "darah tinggi dirujuk ke dokter dan diingatkan minum obat oleh kader."
    ),
}
GARDEN = {
    "title": "A shared vegetable garden on the school roof",
    "summary": (
        "Parents and pupils turned the flat roof of the primary school into a vegetable garden "
        "that supplies the canteen with greens twice a week."
    ),
    "description": (
        "Raised beds were built from recycled pallets and filled with compost from the "
        "neighbourhood. A rota of parents waters the beds during the holidays. The canteen "
        "saved about a fifth of its vegetable budget in the first year, and every class now "
        "has a gardening lesson each month."
    ),
}


def text(parts: dict[str, str]) -> str:
    return duplicates.submission_text(parts["title"], parts["summary"], parts["description"])


def without_marks(value: str) -> str:
    value = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in value if not unicodedata.combining(ch))


def strip_all(parts: dict[str, str]) -> dict[str, str]:
    return {key: without_marks(value) for key, value in parts.items()}


def reorder(parts: dict[str, str]) -> dict[str, str]:
    sentences = [s.strip() for s in parts["description"].split(".") if s.strip()]
    return {**parts, "description": ". ".join(reversed(sentences)) + "."}


def paraphrase_vi(parts: dict[str, str]) -> dict[str, str]:
    """A few words swapped for synonyms and a phrase moved, as a resubmission would."""
    description = (
        parts["description"]
        .replace("vật liệu sẵn có", "nguyên liệu có sẵn")
        .replace("thanh niên tình nguyện", "đoàn viên thanh niên")
        .replace("khoảng mười lăm triệu đồng", "gần 15 triệu đồng")
        .replace("Sau sáu tháng vận hành", "Sau nửa năm sử dụng")
    )
    return {
        "title": "Hệ thống lọc nước mưa ba tầng ở tổ dân phố",
        "summary": parts["summary"].replace("xây dựng", "làm").replace("mùa khô", "mùa hè"),
        "description": description,
    }


def copyedit(parts: dict[str, str]) -> dict[str, str]:
    """Typos, changed punctuation and capitals, decomposed Unicode."""
    edited = {
        key: value.replace("ba tầng", "ba  tâng")
        .replace(",", ";")
        .replace("nước", "nuớc")
        .replace("hộ dân", "Hộ Dân")
        for key, value in parts.items()
    }
    return {key: unicodedata.normalize("NFD", value) for key, value in edited.items()}


def partial_copy(parts: dict[str, str], own: dict[str, str]) -> dict[str, str]:
    """The applicant's own title and summary; half of the description copied."""
    copied = ". ".join(parts["description"].split(". ")[:3])
    return {**own, "description": f"{copied}. {own['description']}"}


def paraphrase_id(parts: dict[str, str]) -> dict[str, str]:
    return {
        "title": "Bank sampah untuk kampung yang bersih",
        "summary": parts["summary"].replace("mendirikan", "membentuk"),
        "description": parts["description"]
        .replace("Setiap hari Sabtu", "Tiap Sabtu")
        .replace("pengepul", "pengumpul barang bekas"),
    }


NEAR_DUPLICATES = {
    "vietnamese without diacritics": (WATER, strip_all(WATER)),
    "reordered sentences": (WATER, reorder(WATER)),
    "light paraphrase": (WATER, paraphrase_vi(WATER)),
    "copy-edits": (WATER, copyedit(WATER)),
    "partial copy": (WATER, partial_copy(WATER, LIGHTS)),
    "paraphrase without diacritics": (WATER, strip_all(paraphrase_vi(WATER))),
    "indonesian": (SAMPAH, paraphrase_id(SAMPAH)),
    "english reordered": (GARDEN, reorder(GARDEN)),
}
UNRELATED = {
    "two vietnamese initiatives": (WATER, LIGHTS),
    "vietnamese on a close subject": (WATER, WASTE),
    "two indonesian initiatives": (SAMPAH, POSYANDU),
    "indonesian and vietnamese": (SAMPAH, WASTE),
    "english and vietnamese": (GARDEN, WATER),
}


# --- the text method ------------------------------------------------------------------------
