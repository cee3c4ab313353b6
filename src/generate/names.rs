//! Names, numerals and dates as a notice prints them: real regions, organs, roads,
//! Chinese numerals and civil dates.

/// Chinese digits one to ten.
pub(super) const CN_DIGITS: [char; 10] =
    ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/// Real place names: provinces and municipalities, prefecture cities, counties and county-level
/// cities. The last character decides the party committee (省委 / 市委 / 县委).
pub(super) const PROVINCES: [&str; 18] = [
    "北京市",
    "上海市",
    "天津市",
    "重庆市",
    "广东省",
    "浙江省",
    "江苏省",
    "山东省",
    "河南省",
    "湖南省",
    "湖北省",
    "四川省",
    "福建省",
    "江西省",
    "安徽省",
    "河北省",
    "云南省",
    "贵州省",
];
pub(super) const CITIES: [&str; 30] = [
    "汕尾市",
    "怀化市",
    "南阳市",
    "福州市",
    "赣州市",
    "遵义市",
    "绵阳市",
    "洛阳市",
    "岳阳市",
    "常德市",
    "湛江市",
    "梅州市",
    "泉州市",
    "宜昌市",
    "襄阳市",
    "九江市",
    "宜宾市",
    "曲靖市",
    "柳州市",
    "桂林市",
    "保定市",
    "邯郸市",
    "临沂市",
    "潍坊市",
    "徐州市",
    "盐城市",
    "台州市",
    "金华市",
    "芜湖市",
    "阜阳市",
];
pub(super) const COUNTIES: [&str; 20] = [
    "闽清县",
    "新野县",
    "海丰县",
    "陆河县",
    "永丰县",
    "安吉县",
    "德清县",
    "固始县",
    "商城县",
    "桃江县",
    "安化县",
    "沛县",
    "曹县",
    "宁都县",
    "兴国县",
    "陆丰市",
    "浏阳市",
    "义乌市",
    "晋江市",
    "邓州市",
];

pub(super) const HEALTH_ORGANS: [&str; 3] = ["卫生健康局", "卫生健康委员会", "卫生健康委"];
pub(super) const HEALTH_ORGANS_PROVINCE: [&str; 2] = ["卫生健康委员会", "卫生健康委"];
pub(super) const OTHER_ORGANS: [&str; 8] = [
    "教育局",
    "财政局",
    "自然资源局",
    "医疗保障局",
    "市场监督管理局",
    "民政局",
    "人力资源和社会保障局",
    "生态环境局",
];
pub(super) const OTHER_ORGANS_PROVINCE: [&str; 7] = [
    "教育厅",
    "财政厅",
    "自然资源厅",
    "民政厅",
    "医疗保障局",
    "市场监督管理局",
    "人力资源和社会保障厅",
];

/// Fields of special inspections (`市委乡村振兴领域专项巡察组`).
pub(super) const SPECIAL_FIELDS: [&str; 5] =
    ["乡村振兴", "医疗卫生", "教育", "粮食购销", "国有企业"];

pub(super) const ROADS: [&str; 8] = [
    "人民路",
    "解放路",
    "中山路",
    "建设路",
    "胜利路",
    "东风路",
    "新华路",
    "文化路",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
    Province,
    City,
    County,
}

/// Civil date.
#[derive(Debug, Clone, Copy)]
pub(super) struct Date {
    pub(super) y: i64,
    pub(super) m: u32,
    pub(super) d: u32,
}

/// Days since 1970-01-01 (H. Hinnant's algorithm).
pub(super) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(super) fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    Date { y, m, d }
}

pub(super) fn date_cn(d: Date) -> String {
    format!("{}年{}月{}日", d.y, d.m, d.d)
}

pub(super) fn date_iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.y, d.m, d.d)
}

/// Chinese numeral for 1..=99 (decimal beyond).
pub(super) fn cn_number(n: usize) -> String {
    let digit = |k: usize| CN_DIGITS.get(k.wrapping_sub(1)).copied().unwrap_or('零');
    match n {
        1..=10 => digit(n).to_string(),
        11..=19 => format!("十{}", digit(n - 10)),
        20..=99 if n.is_multiple_of(10) => format!("{}十", digit(n / 10)),
        20..=99 => format!("{}十{}", digit(n / 10), digit(n % 10)),
        _ => n.to_string(),
    }
}
