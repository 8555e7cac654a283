//! The learner's pages' words as named methods of `Ui` and `PracticeUi`, each over one
//! message of the `.ftl` files: the ones without placeholders listed once (`plain_words!`),
//! those with placeholders written out with their arguments' names.

use super::{Messages, Ui, v};
use crate::text::CommuneKind;

/// The words of a practice scenario's pages: around the simulated screen, and on it.
#[derive(Clone, Copy)]
pub struct PracticeUi {
    pub(super) messages: &'static Messages,
}

impl PracticeUi {
    fn ui(&self) -> Ui {
        Ui {
            messages: self.messages,
            practice: *self,
        }
    }
}

/// A method a message without placeholders, and `KEYS`, every key so named (for the tests).
macro_rules! plain_words {
    ($ty:ident { $( $(#[$doc:meta])* $name:ident = $key:literal, )* }) => {
        impl $ty {
            $( $(#[$doc])* pub fn $name(&self) -> &'static str { self.t($key) } )*
            #[cfg(test)]
            pub(super) const KEYS: &[&str] = &[$($key),*];
        }
    };
}

impl PracticeUi {
    fn t(&self, key: &str) -> &'static str {
        self.ui().t(key)
    }
}

plain_words! {
    Ui {
        /// The language's own name, shown in the language switch.
        name = "language-name",
        site_name = "site-name",
        home_title = "home-title",
        home_intro = "home-intro",
        topics = "topics",
        lessons_heading = "lessons-heading",
        start = "start",
        home = "home",
        objective = "objective",
        previous = "previous",
        next = "next",
        all_done = "all-done",
        not_translated = "not-translated",
        language = "language",
        go_home = "go-home",
        not_found = "not-found",
        not_found_detail = "not-found-detail",
        bad_request = "bad-request",
        bad_request_detail = "bad-request-detail",
        bad_lang_detail = "bad-lang-detail",
        method_not_allowed = "method-not-allowed",
        method_not_allowed_detail = "method-not-allowed-detail",
        too_large = "too-large",
        too_large_detail = "too-large-detail",
        timeout = "timeout",
        timeout_detail = "timeout-detail",
        server_error = "server-error",
        server_error_detail = "server-error-detail",
        disk_full = "disk-full",
        disk_full_detail = "disk-full-detail",
        sign_in = "sign-in",
        join = "join",
        continue_learning = "continue-learning",
        all_finished = "all-finished",
        done = "done",
        module_finished = "module-finished",
        see_certificate = "see-certificate",
        finished_reading = "finished-reading",
        read_already = "read-already",
        take_quiz = "take-quiz",
        sign_in_to_save = "sign-in-to-save",
        quiz_intro = "quiz-intro",
        quiz_missing = "quiz-missing",
        not_answered = "not-answered",
        submit_answers = "submit-answers",
        quiz_result = "quiz-result",
        quiz_passed = "quiz-passed",
        quiz_not_passed = "quiz-not-passed",
        right = "right",
        wrong = "wrong",
        right_answer = "right-answer",
        try_again = "try-again",
        read_again = "read-again",
        my_progress = "my-progress",
        part_previous = "part-previous",
        part_next = "part-next",
        /// The parts' navigation, for screen readers.
        parts_nav = "parts-nav",
        whole_lesson = "whole-lesson",
        one_part_at_a_time = "one-part-at-a-time",
        /// The confirmation after "Tôi đã học xong", and what comes next.
        finish_recorded = "finish-recorded",
        finish_recorded_quiz = "finish-recorded-quiz",
        finish_recorded_next = "finish-recorded-next",
        see_result = "see-result",
        join_title = "join-title",
        join_intro = "join-intro",
        form_has_problems = "form-has-problems",
        your_name = "your-name",
        your_village = "your-village",
        other_village = "other-village",
        optional_below = "optional-below",
        birth_year = "birth-year",
        gender = "gender",
        ethnic_group = "ethnic-group",
        /// The last of the ethnic groups offered, "Khác" in the records, in the learner's words.
        ethnic_other = "ethnic-other",
        secret_heading = "secret-heading",
        secret_intro = "secret-intro",
        secret_none = "secret-none",
        secret_pin = "secret-pin",
        pin_label = "pin-label",
        secret_picture = "secret-picture",
        /// Above the grid of nine: tap three, in order.
        picture_how = "picture-how",
        /// Before the three places of the code chosen so far.
        code_so_far = "code-so-far",
        undo_picture = "undo-picture",
        /// The page after joining with a secret: its title, the code, and the reminder.
        joined_title = "joined-title",
        your_code = "your-code",
        remember_code = "remember-code",
        start_learning = "start-learning",
        /// Under a wrong secret at sign-in.
        forgot_secret = "forgot-secret",
        /// "Your name" when someone registers another person.
        learner_name = "learner-name",
        join_button = "join-button",
        already_joined = "already-joined",
        err_name_empty = "err-name-empty",
        err_name_long = "err-name-long",
        err_name_hidden = "err-name-hidden",
        err_village_empty = "err-village-empty",
        err_village_long = "err-village-long",
        err_village_hidden = "err-village-hidden",
        err_birth_year = "err-birth-year",
        err_choice = "err-choice",
        err_pin = "err-pin",
        err_pictures = "err-pictures",
        sign_in_title = "sign-in-title",
        /// Why sign-in is asked for, when a group lesson was being opened.
        sign_in_for_live = "sign-in-for-live",
        /// Why sign-in is asked for, when another page was being opened.
        sign_in_for_page = "sign-in-for-page",
        /// After joining: the way on to the group lesson that was being opened.
        go_to_live = "go-to-live",
        /// After joining: the way on to the page that was being opened.
        go_to_page = "go-to-page",
        nobody_yet = "nobody-yet",
        pick_village = "pick-village",
        new_here = "new-here",
        other_villages = "other-villages",
        pick_name = "pick-name",
        search_label = "search-label",
        search = "search",
        no_such_name = "no-such-name",
        not_in_list = "not-in-list",
        enter_pin = "enter-pin",
        enter_pictures = "enter-pictures",
        is_this_you = "is-this-you",
        not_you = "not-you",
        wrong_secret = "wrong-secret",
        me_title = "me-title",
        certificate = "certificate",
        quiz_to_pass = "quiz-to-pass",
        opened = "opened",
        not_started = "not-started",
        switch_learner = "switch-learner",
        movement = "movement",
        /// The country's name and motto, heading a certificate on the right.
        nation = "nation",
        motto = "motto",
        certificate_heading = "certificate-heading",
        certifies_that = "certifies-that",
        village_label = "village-label",
        has_finished = "has-finished",
        facilitator_signs = "facilitator-signs",
        print_hint = "print-hint",
        not_signed_in = "not-signed-in",
        not_signed_in_detail = "not-signed-in-detail",
        stale_form = "stale-form",
        stale_form_detail = "stale-form-detail",
        card_enter = "card-enter",
        card_not_you = "card-not-you",
        card_unknown = "card-unknown",
        card_unknown_detail = "card-unknown-detail",
        live_title = "live-title",
        live_link = "live-link",
        live_intro = "live-intro",
        live_code = "live-code",
        live_join = "live-join",
        live_no_code = "live-no-code",
        live_ended = "live-ended",
        live_ended_detail = "live-ended-detail",
        live_pick = "live-pick",
        live_your_answer = "live-your-answer",
        live_wait_reveal = "live-wait-reveal",
        live_right = "live-right",
        live_too_late = "live-too-late",
        live_follow = "live-follow",
        /// What the room chose, shown once the facilitator reveals it.
        live_room_chose = "live-room-chose",
        /// A decision sent: the room is still choosing.
        live_wait_room = "live-wait-room",
        /// A step with nothing to choose on the phone: the facilitator shows it.
        live_look_up = "live-look-up",
        welcome_title = "welcome-title",
        welcome_intro = "welcome-intro",
        welcome_browser = "welcome-browser",
        welcome_qr = "welcome-qr",
        address_label = "address-label",
        copy_address = "copy-address",
        copied = "copied",
        welcome_enter = "welcome-enter",
        display = "display",
        large_text = "large-text",
        high_contrast = "high-contrast",
        read_aloud = "read-aloud",
        stop_reading = "stop-reading",
        recording = "recording",
        queued = "queued",
        sent = "sent",
        take_home = "take-home",
        take_home_note = "take-home-note",
        print_version = "print-version",
        print_how = "print-how",
        print_now = "print-now",
        self_check = "self-check",
        check_answer = "check-answer",
        needs_script = "needs-script",
        write_answer = "write-answer",
        /// A recorded reading of the whole lesson, after the language it is in.
        reading_whole = "hear-whole",
        /// The badge on a lesson the commune made.
        made_here = "hear-own",
    }
}

plain_words! {
    PracticeUi {
        heading = "practice-heading",
        simulated = "practice-simulated",
        chat_note = "practice-chat-note",
        begin = "practice-begin",
        resume = "practice-resume",
        restart = "practice-restart",
        done = "practice-done",
        tap_hint = "practice-tap-hint",
        send = "practice-send",
        right = "practice-right",
        wrong = "practice-wrong",
        go_on = "practice-go-on",
        try_step_again = "practice-try-step-again",
        see_end = "practice-see-end",
        won = "practice-won",
        lost = "practice-lost",
        try_again = "practice-try-again",
        back_to_lesson = "practice-back-to-lesson",
        next_practice = "practice-next-practice",
        screen_label = "practice-screen-label",
        messages = "practice-messages",
        incoming_call = "practice-incoming-call",
        bank = "practice-bank",
        receiver = "practice-receiver",
        shop = "practice-shop",
        amount = "practice-amount",
        practice_chat = "practice-practice-chat",
        settings = "practice-settings",
        new_message = "practice-new-message",
        exercise_how = "practice-exercise-how",
        answer_key = "practice-answer-key",
        cut_here = "practice-cut-here",
    }
}

impl Ui {
    pub fn lessons(&self, n: usize) -> String {
        self.t_args("lessons", [("n", v(n))])
    }
    pub fn minutes(&self, n: u32) -> String {
        self.t_args("minutes", [("n", v(n))])
    }
    pub fn slides(&self, n: usize) -> String {
        self.t_args("slides", [("n", v(n))])
    }
    pub fn hello(&self, name: &str) -> String {
        self.t_args("hello", [("name", v(name))])
    }
    pub fn lessons_done(&self, done: usize, total: usize) -> String {
        self.t_args("lessons-done", [("done", v(done)), ("total", v(total))])
    }
    pub fn best_score(&self, best: u32, total: u32) -> String {
        self.t_args("best-score", [("best", v(best)), ("total", v(total))])
    }
    pub fn quiz_title(&self, title: &str) -> String {
        self.t_args("quiz-title", [("title", v(title))])
    }
    pub fn score(&self, right: u32, total: u32) -> String {
        self.t_args("score", [("right", v(right)), ("total", v(total))])
    }
    /// "Phần 3/7": the part of a lesson shown, of how many.
    pub fn part_of(&self, part: usize, parts: usize) -> String {
        self.t_args("part-of", [("part", v(part)), ("parts", v(parts))])
    }
    /// Shown once an offline quiz's answers reached the box: its score, with `{s}` and `{t}`
    /// for the script to fill in.
    pub fn quiz_sent_score(&self) -> String {
        self.t_args(
            "quiz-sent-score",
            [("right", v("{s}")), ("total", v("{t}"))],
        )
    }
    pub fn learners_count(&self, n: u32) -> String {
        self.t_args("learners-count", [("n", v(n))])
    }
    pub fn born(&self, year: i32) -> String {
        self.t_args("born", [("year", v(year))])
    }
    pub fn joined_on(&self, date: &str) -> String {
        self.t_args("joined-on", [("date", v(date))])
    }
    pub fn more_names(&self, n: usize) -> String {
        self.t_args("more-names", [("n", v(n))])
    }
    pub fn wait_before_retry(&self, seconds: u64) -> String {
        self.t_args("wait-before-retry", [("seconds", v(seconds))])
    }
    pub fn module_finished_on(&self, date: &str) -> String {
        self.t_args("module-finished-on", [("date", v(date))])
    }
    /// A certificate's heading on the left: the commune's People's Committee.
    pub fn commune_committee(&self, kind: CommuneKind, name: &str) -> String {
        let kind = match kind {
            CommuneKind::Xa => "xa",
            CommuneKind::Phuong => "phuong",
            CommuneKind::DacKhu => "dac-khu",
            CommuneKind::ThiTran => "thi-tran",
        };
        self.t_args("commune-committee", [("kind", v(kind)), ("name", v(name))])
    }
    pub fn lessons_count_done(&self, n: usize) -> String {
        self.t_args("lessons-count-done", [("n", v(n))])
    }
    pub fn on_date(&self, date: &str) -> String {
        self.t_args("on-date", [("date", v(date))])
    }
    pub fn card_is_you(&self, name: &str) -> String {
        self.t_args("card-is-you", [("name", v(name))])
    }
    pub fn live_not_in_group(&self, group: &str) -> String {
        self.t_args("live-not-in-group", [("group", v(group))])
    }
    /// The end, on a learner's phone: "Bạn trả lời đúng 3/4 câu."
    pub fn live_score(&self, right: usize, total: usize) -> String {
        self.t_args("live-score", [("right", v(right)), ("total", v(total))])
    }
    pub fn live_step(&self, step: usize, steps: usize) -> String {
        self.t_args("live-step", [("step", v(step)), ("steps", v(steps))])
    }
    pub fn live_question(&self, question: usize, questions: usize) -> String {
        let args = [("question", v(question)), ("questions", v(questions))];
        self.t_args("live-question", args)
    }
    /// Once the answer is shown, on the phone that chose it: right, with the letter chosen;
    /// not right, with the letters chosen and right; or no answer, with the right letter.
    pub fn live_mine_right(&self, mine: char) -> String {
        self.t_args("live-mine-right", [("mine", v(mine.to_string()))])
    }
    pub fn live_mine_wrong(&self, mine: char, right: char) -> String {
        let args = [
            ("mine", v(mine.to_string())),
            ("right", v(right.to_string())),
        ];
        self.t_args("live-mine-wrong", args)
    }
    pub fn live_mine_none(&self, right: char) -> String {
        self.t_args("live-mine-none", [("right", v(right.to_string()))])
    }
    /// A practice scenario run live: the room's turn, "Bước 3".
    pub fn live_turn(&self, step: usize) -> String {
        self.t_args("live-turn", [("step", v(step))])
    }
    /// "Wi-Fi «Nha Van Hoa» của Xã Ea Sol": the hall's network and commune, as set up.
    pub fn welcome_where(&self, wifi: &str, commune: &str) -> String {
        match (wifi.is_empty(), commune.is_empty()) {
            (false, false) => self.t_args(
                "welcome-where-wifi-commune",
                [("wifi", v(wifi)), ("commune", v(commune))],
            ),
            (false, true) => self.t_args("welcome-where-wifi", [("wifi", v(wifi))]),
            (true, false) => self.t_args("welcome-where-commune", [("commune", v(commune))]),
            (true, true) => String::new(),
        }
    }
    /// The results waiting on the phone, with `{n}` for the script to fill in.
    pub fn waiting(&self) -> String {
        self.t_args("waiting", [("n", v("{n}"))])
    }
    pub fn offline_file_note(&self, address: &str) -> String {
        self.t_args("offline-file-note", [("address", v(address))])
    }
    /// The link to a lesson's recorded reading: "Nghe bằng tiếng Ê Đê" (`name` without
    /// "Tiếng").
    pub fn listen_in(&self, name: &str) -> String {
        self.t_args("hear-listen-in", [("name", v(name))])
    }
    /// A recorded reading of one slide: "trang 3".
    pub fn reading_slide(&self, n: usize) -> String {
        self.t_args("hear-slide", [("n", v(n))])
    }
    /// The commune a province's lesson is credited to: "Bài của Xã Ea Tu".
    pub fn made_by(&self, who: &str) -> String {
        self.t_args("hear-by", [("who", v(who))])
    }
    /// The genders offered, in the records' order: female, male, other.
    pub fn genders(&self) -> [&'static str; 3] {
        [
            self.t("gender-female"),
            self.t("gender-male"),
            self.t("gender-other"),
        ]
    }
}

impl PracticeUi {
    /// A kind's name by its code: `inbox` → "Hộp tin nhắn".
    pub fn kind(&self, code: &str) -> &'static str {
        self.t(match code {
            "inbox" => "practice-kind-inbox",
            "call" => "practice-kind-call",
            "form" => "practice-kind-form",
            "pay" => "practice-kind-pay",
            "chat" => "practice-kind-chat",
            _ => "practice-kind-settings",
        })
    }
    pub fn count(&self, n: usize) -> String {
        self.ui().t_args("practice-count", [("n", v(n))])
    }
    pub fn done_count(&self, done: usize, total: usize) -> String {
        let args = [("done", v(done)), ("total", v(total))];
        self.ui().t_args("practice-done-count", args)
    }
    /// Away from the box (the take-home file, the handout): a typed value to go on with,
    /// where the file cannot check it: "Gõ: 20/11/2026".
    pub fn type_value(&self, value: &str) -> String {
        self.ui()
            .t_args("practice-type-value", [("value", v(value))])
    }
    pub fn step_n(&self, step: usize) -> String {
        self.ui().t_args("practice-step-n", [("step", v(step))])
    }
}
