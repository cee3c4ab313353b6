//! The parser on notices written in the layouts of real notices from many agencies
//! and sectors (`tests/fixtures/layouts/`, listed in its README): every problem and
//! notice-level fact exactly, the figures the notice states against the parse, and
//! no line dropped.

mod common;

fn check(name: &str) {
    let (text, notice, expected) = common::fixture("layouts", name);
    common::assert_exact(name, &notice, &expected);
    let got = common::json(&notice);
    assert_eq!(
        got["co_agencies"], expected["co_agencies"],
        "{name}: co-signers"
    );
    assert_eq!(
        serde_json::to_value(notice.discrepancies()).expect("serializes"),
        expected["discrepancies"],
        "{name}: stated figures against parsed counts"
    );
    assert_eq!(
        zhenggai::parse::unkept_lines(&text, &notice),
        Vec::<usize>::new(),
        "{name}: lines not kept"
    );
}

macro_rules! layouts {
    ($($test:ident => $name:literal),* $(,)?) => {
        $(#[test] fn $test() { check($name); })*
    };
}

layouts! {
    three_levels_measures_on_the_problem_line => "01_three_levels_inline_measures",
    bare_category_then_unnumbered_problem => "02_bare_category_unnumbered_problem_gb18030",
    enumerations_inside_status_stay_in_the_problem => "03_enumerations_inside_status",
    no_section_preamble_into_categories => "04_no_section_straight_into_categories_bom",
    zhendui_headings_without_quotes_first => "05_zhendui_buli_headings",
    wenti_paren_and_status_labels => "06_wenti_paren_status_forms",
    di_ge_wenti_titles_past_inner_full_stop => "07_di_ge_wenti_inner_full_stop",
    status_in_brackets_after_guanyu_headings => "08_status_in_brackets",
    deadlines_long_term_and_responsibility_lines => "09_deadlines_long_term_responsibility",
    table_with_tabs => "10_table_tabs",
    table_with_space_runs => "11_table_spaces",
    traditional_script => "12_traditional_script",
    traditional_script_web_page => "13_traditional_web",
    agency_from_body_and_bullet_date => "14_agency_from_body_bullet_date",
    agency_named_where_feedback_goes_no_feedback_date => "15_agency_to_body_no_feedback_date",
    agency_before_yixia_jiancheng_and_special_group => "16_yixia_jiancheng_special_group",
    date_beside_source_cross_group_and_figures => "17_source_datetime_cross_group_figures",
    stated_figures_differ_from_the_parse => "18_province_xunshi_figures_differ",
    zhendui_problem_with_nested_steps => "19_zhendui_with_nested_steps",
    numbering_out_of_the_usual_order => "20_numbering_out_of_order",
    preamble_points_are_not_problems => "21_preamble_points_are_not_problems",
    wenti_yi_progress_and_paragraph_measures => "22_health_wenti_yi_deadline_paragraphs",
    html_statuses_in_parentheses => "23_education_html_parenthesized_status",
    four_levels_deadline_and_status_on_one_line => "24_market_four_levels_notes",
    sections_that_are_categories => "25_province_sections_are_categories",
    gb18030_figures_agree => "26_county_agriculture_figures_gb18030",
    items_with_wenti_problems => "27_health_items_and_wenti_problems",
    status_and_measures_on_the_heading_line => "28_culture_heading_with_status_inline_bom",
    space_table_under_categories => "29_table_spaces_categories_long_term",
    wenti_with_chinese_numeral_in_parentheses => "30_wenti_cn_paren_notes",
    bracket_status_marks_problems_inline_points => "31_market_points_inline_status_bracket",
    unnumbered_zhendui_under_categories => "32_health_unnumbered_zhendui_under_categories",
    closing_deadlines_and_figures => "33_intro_figures_and_closing_deadlines",
    steps_numbered_like_their_problems => "34_steps_numbered_like_problems",
    indented_categories_and_abridged_list => "35_indented_categories_inline_status",
    two_line_title_and_chinese_numeral_date => "36_two_line_title_cn_numeral_date",
    flat_problems_with_measures_on_their_line => "37_flat_problems_measures_on_line",
    web_page_boilerplate_is_not_content => "38_county_web_page_boilerplate",
}
