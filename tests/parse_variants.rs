//! The parser on notices written for the tests in shapes the seeds do not show
//! (`tests/fixtures/variants/`, listed in its README): other title endings, status
//! labels and problem headings, four-level numbering, web metadata, GB18030, BOM,
//! HTML, Markdown, full-width forms, two signers, and documents that are not notices.

mod common;

use serde_json::Value;

fn check(name: &str) {
    let (_, notice, expected) = common::fixture("variants", name);
    if expected["is_notice"] == Value::Bool(false) {
        assert!(!notice.is_notice, "{name}: not a notice");
        assert!(notice.problems.is_empty());
        assert!(
            !notice.paragraphs.is_empty(),
            "{name}: its text is kept as paragraphs"
        );
        return;
    }
    common::assert_exact(name, &notice, &expected);
    assert_eq!(
        common::json(&notice)["co_agencies"],
        expected["co_agencies"],
        "{name}: co-signers"
    );
}

macro_rules! variants {
    ($($test:ident => $name:literal),* $(,)?) => {
        $(#[test] fn $test() { check($name); })*
    };
}

variants! {
    two_signers_and_deadlines => "01_county_two_signers",
    web_page_metadata_and_inline_points => "02_city_webpage",
    gb18030_revisit_without_statuses => "03_district_revisit_gb18030",
    bom_full_width_special_inspection => "04_county_special_fullwidth_bom",
    html_page => "05_county_web",
    markdown_four_levels_xunshi => "06_province_xunshi_nested",
    ascii_punctuation_zhendui => "07_county_ascii_punct",
    numbering_inside_a_paragraph => "08_city_inline_numbering",
    social_notice_with_figures => "09_county_special_social",
    regulation_is_not_a_notice => "10_regulation_not_notice",
    news_is_not_a_notice => "11_news_not_notice",
}
