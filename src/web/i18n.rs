//! Every string of the interface, in one place: one `Ui` a language. Vietnamese comes first;
//! a new language is a new `Ui` value and a `Lang` variant. Lesson text is not here: it lives
//! in the lesson files, one file a language.

use crate::content::Lang;

/// The interface's words in one language.
pub struct Ui {
    /// The language's own name, shown in the language switch.
    pub name: &'static str,
    pub site_name: &'static str,
    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub topics: &'static str,
    pub lessons_heading: &'static str,
    pub lessons: fn(usize) -> String,
    pub minutes: fn(u32) -> String,
    pub slides: fn(usize) -> String,
    pub start: &'static str,
    pub home: &'static str,
    pub objective: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub all_done: &'static str,
    pub not_translated: &'static str,
    pub language: &'static str,
    pub go_home: &'static str,
    pub not_found: &'static str,
    pub not_found_detail: &'static str,
    pub bad_request: &'static str,
    pub bad_request_detail: &'static str,
    pub bad_lang_detail: &'static str,
    pub method_not_allowed: &'static str,
    pub method_not_allowed_detail: &'static str,
    pub too_large: &'static str,
    pub too_large_detail: &'static str,
    pub timeout: &'static str,
    pub timeout_detail: &'static str,
    pub server_error: &'static str,
    pub server_error_detail: &'static str,
}

pub static VI: Ui = Ui {
    name: "Tiếng Việt",
    site_name: "Học số",
    home_title: "Học kỹ năng số",
    home_intro: "Chọn một chủ đề để bắt đầu. Mỗi bài chỉ vài phút. Không cần Internet.",
    topics: "Các chủ đề",
    lessons_heading: "Các bài học",
    lessons: |n| format!("{n} bài"),
    minutes: |n| format!("{n} phút"),
    slides: |n| format!("{n} phần"),
    start: "Bắt đầu học",
    home: "Trang chủ",
    objective: "Mục tiêu",
    previous: "Bài trước",
    next: "Bài tiếp",
    all_done: "Bà con đã xem hết các bài. Về trang chủ",
    not_translated: "Bài này chưa có bản dịch.",
    language: "Ngôn ngữ",
    go_home: "Về trang chủ",
    not_found: "Không tìm thấy trang",
    not_found_detail: "Trang này không có trên máy Học số. Có thể địa chỉ bị gõ sai.",
    bad_request: "Yêu cầu không hợp lệ",
    bad_request_detail: "Máy không hiểu địa chỉ này. Hãy quay lại và thử lại.",
    bad_lang_detail: "Ngôn ngữ này chưa có. Hãy chọn Tiếng Việt hoặc English.",
    method_not_allowed: "Không làm được việc này",
    method_not_allowed_detail: "Trang này không nhận yêu cầu kiểu đó.",
    too_large: "Dữ liệu quá lớn",
    too_large_detail: "Dữ liệu gửi lên quá lớn. Máy không lưu gì cả.",
    timeout: "Máy chờ quá lâu",
    timeout_detail: "Yêu cầu mất quá nhiều thời gian. Hãy thử lại.",
    server_error: "Máy gặp lỗi",
    server_error_detail: "Máy gặp lỗi khi mở trang này. Hãy thử lại, hoặc báo cán bộ phụ trách.",
};

pub static EN: Ui = Ui {
    name: "English",
    site_name: "Học số",
    home_title: "Learn digital skills",
    home_intro: "Pick a topic to start. Each lesson takes a few minutes. No internet needed.",
    topics: "Topics",
    lessons_heading: "Lessons",
    lessons: |n| {
        if n == 1 {
            "1 lesson".into()
        } else {
            format!("{n} lessons")
        }
    },
    minutes: |n| format!("{n} min"),
    slides: |n| {
        if n == 1 {
            "1 part".into()
        } else {
            format!("{n} parts")
        }
    },
    start: "Start learning",
    home: "Home",
    objective: "What you will learn",
    previous: "Previous",
    next: "Next",
    all_done: "You have seen every lesson. Back to home",
    not_translated: "This lesson is not translated yet; here it is in Vietnamese.",
    language: "Language",
    go_home: "Back to home",
    not_found: "Page not found",
    not_found_detail: "This page is not on the Học số box. The address may be mistyped.",
    bad_request: "Bad request",
    bad_request_detail: "The box did not understand this address. Go back and try again.",
    bad_lang_detail: "That language is not available. Choose Tiếng Việt or English.",
    method_not_allowed: "Not allowed here",
    method_not_allowed_detail: "This page does not take that kind of request.",
    too_large: "Too much data",
    too_large_detail: "What was sent is too large. Nothing was stored.",
    timeout: "The box waited too long",
    timeout_detail: "The request took too long. Please try again.",
    server_error: "Something went wrong",
    server_error_detail: "The box hit an error opening this page. Try again, or tell the facilitator.",
};

/// The interface's words in `lang`.
pub fn ui(lang: Lang) -> &'static Ui {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}
