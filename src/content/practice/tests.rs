//! Scenario files read: a good call, and each way a file can be wrong, by line.

use proptest::prelude::*;

use super::*;

const CALL: &str = r#"kind = "call"
lesson = "cuoc-goi-lua-dao"
title = "Cuộc gọi xưng công an"
intro = "Điện thoại reo. Một số lạ gọi đến."

[[step]]
id = "alo"
caller = "Số lạ"
says = "Tôi là công an. Bà chuyển tiền vào tài khoản tạm giữ."
ask = "Bà con làm gì?"

[[step.choice]]
text = "Cúp máy, tự đến công an xã hỏi"
right = true
feedback = "Đúng: công an không bao giờ bảo chuyển tiền qua điện thoại."
next = "an-toan"

[[step.choice]]
text = "Hỏi số tài khoản để chuyển"
feedback = "Đó là bẫy: họ sẽ giục gấp."
next = "giuc"

[[step]]
id = "giuc"
caller = "Số lạ"
says = "Nhanh lên, không là bị bắt!"
ask = "Bây giờ làm gì?"

[[step.choice]]
text = "Cúp máy ngay"
right = true
feedback = "Muộn một chút nhưng vẫn kịp."
next = "an-toan"

[[step.choice]]
text = "Chuyển tiền"
feedback = "Tiền đã mất."
next = "mat-tien"

[[end]]
id = "an-toan"
win = true
text = "Bà con giữ được tiền."

[[end]]
id = "mat-tien"
win = false
text = "Kẻ gian lấy mất tiền. Thử lại nhé."
"#;

fn problems(text: &str) -> Vec<String> {
    match parse(text) {
        Ok(_) => Vec::new(),
        Err(problems) => problems
            .into_iter()
            .map(|(line, m)| format!("{line}: {m}"))
            .collect(),
    }
}

#[test]
fn a_good_call_reads_whole() {
    let scenario = parse(CALL).unwrap();
    assert_eq!(
        (scenario.kind, scenario.lesson.as_str()),
        (Kind::Call, "cuoc-goi-lua-dao")
    );
    assert_eq!(scenario.steps.len(), 2);
    assert_eq!(scenario.steps[0].screen["caller"], "Số lạ");
    assert_eq!(scenario.steps[0].choices[1].next, "giuc");
    assert_eq!(scenario.ends.iter().filter(|e| e.win).count(), 1);
}

#[test]
fn each_mistake_is_named_on_its_line() {
    let cases = [
        (
            "next = \"giuc\"",
            "next = \"giu\"",
            "18: step `alo`, choice `Hỏi số tài khoản để chuyển`: `next = \"giu\"` is neither a step nor an end",
        ),
        (
            "caller = \"Số lạ\"\nsays = \"Nhanh",
            "says = \"Nhanh",
            "23: step `giuc`: a `call` step needs `caller`",
        ),
        (
            "kind = \"call\"",
            "kind = \"phone\"",
            "1: not a scenario: unknown variant `phone`",
        ),
        ("win = true", "win = false", "1: no end is a success"),
        (
            "feedback = \"Tiền đã mất.\"",
            "feedback = \"\"",
            "35: step `giuc`, choice `Chuyển tiền`: `feedback` is empty",
        ),
        (
            "caller = \"Số lạ\"\nsays = \"Tôi",
            "caller = \"Số lạ\"\nmessage = \"x\"\nsays = \"Tôi",
            "6: step `alo`: `message` is not part of a `call` screen",
        ),
    ];
    for (from, to, expected) in cases {
        assert!(CALL.contains(from), "fixture lacks {from:?}");
        let found = problems(&CALL.replacen(from, to, 1));
        assert!(
            found.iter().any(|p| p.starts_with(expected)),
            "{from:?} → {to:?}: expected {expected:?} in {found:#?}"
        );
    }
}

#[test]
fn loops_without_a_way_out_and_unreachable_steps_are_refused() {
    // Both choices of `giuc` lead back to `alo`'s wrong branch: a loop that never ends.
    let looping = CALL
        .replacen(
            "next = \"an-toan\"\n\n[[step.choice]]\ntext = \"Chuyển",
            "next = \"giuc\"\n\n[[step.choice]]\ntext = \"Chuyển",
            1,
        )
        .replacen("next = \"mat-tien\"", "next = \"giuc\"", 1);
    let found = problems(&looping);
    assert!(
        found
            .iter()
            .any(|p| p.contains("step `giuc`: no path from it ever ends")),
        "{found:#?}"
    );
    let no_success = CALL
        .replacen("next = \"an-toan\"", "next = \"giuc\"", 1)
        .replacen("next = \"an-toan\"", "next = \"alo\"", 1);
    let found = problems(&no_success);
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("40: end `an-toan`: no path reaches it")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.contains("no path from the first step reaches a success")),
        "{found:#?}"
    );
    let unreachable = CALL.replacen("next = \"giuc\"", "next = \"mat-tien\"", 1);
    let found = problems(&unreachable);
    assert!(
        found
            .iter()
            .any(|p| p.contains("step `giuc`: no path from the first step reaches it")),
        "{found:#?}"
    );
}

#[test]
fn a_step_marks_what_is_right_and_no_right_choice_loses() {
    let scenario = parse(CALL).unwrap();
    let rights: Vec<bool> = scenario.steps[0].choices.iter().map(|c| c.right).collect();
    assert_eq!(rights, [true, false]);
    let none = CALL.replacen("right = true\n", "", 1);
    assert_eq!(
        problems(&none),
        ["6: step `alo`: no choice is marked `right = true` (what a careful person does here)"]
    );
    let losing = CALL.replacen(
        "text = \"Chuyển tiền\"\n",
        "text = \"Chuyển tiền\"\nright = true\n",
        1,
    );
    assert_eq!(
        problems(&losing),
        [
            "35: step `giuc`, choice `Chuyển tiền`: a right choice leads to `mat-tien`, an end that is not a success"
        ]
    );
}

#[test]
fn tapping_chooses_parts_of_the_screen() {
    let inbox = r#"kind = "inbox"
lesson = "tin-nhan-link-la"
title = "Hộp tin nhắn"
intro = "Ba tin mới."

[[step]]
id = "tin-1"
from = "NganHangA"
message = "Tài khoản bị khóa. Bấm link-la.example để mở."
ask = "Chạm vào chỗ lộ ra tin giả."
tap = true

[[step.choice]]
text = "link-la.example"
right = true
feedback = "Đúng: ngân hàng không gửi link."
next = "xong"

[[step.choice]]
text = "Tài khoản bị khóa."
feedback = "Câu dọa, nhưng chỗ lộ rõ nhất là link."
next = "xong"

[[end]]
id = "xong"
win = true
text = "Xong."
"#;
    assert_eq!(problems(inbox), Vec::<String>::new());
    let wrong = inbox.replace("text = \"link-la.example\"", "text = \"Số điện thoại\"");
    let found = problems(&wrong);
    assert!(
        found
            .iter()
            .any(|p| p.contains("with `tap = true` a choice is a part of the screen")),
        "{found:#?}"
    );
}

#[test]
fn every_kind_says_what_its_steps_need() {
    for kind in Kind::ALL {
        let text = format!(
            "kind = \"{}\"\nlesson = \"x\"\ntitle = \"T\"\nintro = \"I\"\n\n[[step]]\nid = \"a\"\nask = \"?\"\n\n[[step.choice]]\ntext = \"1\"\nright = true\nfeedback = \"f\"\nnext = \"z\"\n\n[[step.choice]]\ntext = \"2\"\nfeedback = \"f\"\nnext = \"z\"\n\n[[end]]\nid = \"z\"\nwin = true\ntext = \"ok\"\n",
            kind.code()
        );
        let found = problems(&text);
        assert_eq!(found.len(), kind.needs().len(), "{kind:?}: {found:#?}");
        for need in kind.needs() {
            assert!(
                found.iter().any(|p| p.contains(&format!("needs `{need}`"))),
                "{kind:?}: {found:#?}"
            );
        }
    }
}

proptest! {
    #[test]
    fn no_scenario_text_makes_the_reader_panic(text in "\\PC{0,400}", cut in 0usize..CALL.len()) {
        let _ = parse(&text);
        let cut = (0..=cut).rev().find(|i| CALL.is_char_boundary(*i)).unwrap_or(0);
        let _ = parse(&CALL[..cut]);
    }
}

const FORM: &str = r#"kind = "form"
lesson = "dich-vu-cong"
title = "Đăng ký khai sinh"
intro = "Chị H'Mai khai sinh cho con trên cổng dịch vụ công."

[[step]]
id = "ngay-sinh"
form = "Tờ khai đăng ký khai sinh"
ask = "Gõ ngày sinh của bé, như trên giấy chứng sinh: 03/12/2026."

[step.input]
label = "Ngày sinh (ngày/tháng/năm)"
expect = "03/12/2026"
error = "Ngày sinh chưa đúng định dạng ngày/tháng/năm."
next = "otp"

[[step]]
id = "otp"
form = "Xác nhận"
from = "DichVuCong"
message = "Mã OTP của bạn là 482913. Không đưa mã này cho ai."
ask = "Gõ mã vừa nhận."

[step.input]
label = "Mã OTP"
expect = "482913"
error = "Mã OTP không đúng. Vui lòng nhập lại."
next = "xong"

[[step.choice]]
text = "Đọc mã cho người gọi tự xưng cán bộ"
feedback = "Không bao giờ đưa mã OTP cho ai, kể cả người xưng cán bộ."
next = "lo-ma"

[[step.choice]]
text = "Bỏ qua, không gõ mã"
feedback = "Hồ sơ chưa nộp được nếu không xác nhận."
next = "otp"

[[end]]
id = "xong"
win = true
text = "Đã nộp. Mã hồ sơ: H12-261203-0001."

[[end]]
id = "lo-ma"
win = false
text = "Người lạ có mã của bà con."
"#;

#[test]
fn a_form_takes_typed_values_and_compares_them_as_a_form_would() {
    let scenario = parse(FORM).unwrap();
    let date = scenario.steps[0].input.as_ref().unwrap();
    assert!(date.accepts(" 03/12/2026 "));
    assert!(!date.accepts("3/12/2026"));
    let otp = scenario.steps[1].input.as_ref().unwrap();
    assert_eq!(otp.next, "xong");
    assert_eq!(scenario.steps[1].choices.len(), 2);
    assert_eq!(
        scenario.steps[1].screen["message"],
        "Mã OTP của bạn là 482913. Không đưa mã này cho ai."
    );

    let found = problems(&FORM.replacen("next = \"otp\"", "next = \"ot\"", 1));
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("6: step `ngay-sinh`'s `input`: `next = \"ot\"`")),
        "{found:#?}"
    );
    let found = problems(&FORM.replacen(
        "error = \"Ngày sinh chưa đúng định dạng ngày/tháng/năm.\"",
        "error = \"\"",
        1,
    ));
    assert!(
        found
            .iter()
            .any(|p| p.contains("`input`: `error` is empty")),
        "{found:#?}"
    );
    let call_with_input = CALL.replacen("ask = \"Bà con làm gì?\"", "ask = \"Bà con làm gì?\"\n\n[step.input]\nlabel = \"l\"\nexpect = \"e\"\nerror = \"r\"\nnext = \"an-toan\"", 1);
    let found = problems(&call_with_input);
    assert!(
        found
            .iter()
            .any(|p| p.contains("only a form's step has an `input`")),
        "{found:#?}"
    );
}

#[test]
fn the_careful_path_takes_the_right_choices_and_the_typed_values_to_a_success() {
    let call = parse(CALL).unwrap();
    let (steps, end) = call.careful_path();
    let ids: Vec<&str> = steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["alo"]);
    assert_eq!(end.map(|e| e.id.as_str()), Some("an-toan"));
    // A typed value leads on where no choice is right.
    let form = parse(FORM).unwrap();
    let (steps, end) = form.careful_path();
    let ids: Vec<&str> = steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["ngay-sinh", "otp"]);
    assert_eq!(end.map(|e| e.id.as_str()), Some("xong"));
    // A right choice that goes back to a step already taken is passed over.
    let mut looping = parse(CALL).unwrap();
    looping.steps[1].choices[0].next = "alo".into();
    looping.steps[0].choices[0].next = "giuc".into();
    let (steps, end) = looping.careful_path();
    let ids: Vec<&str> = steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["alo", "giuc"]);
    assert_eq!(end.map(|e| e.id.as_str()), Some("mat-tien"));
}

/// A step's ways: its choices as `(where, right)` and perhaps a typed value's way on, `where`
/// counting steps then ends.
type Ways = (Vec<(usize, bool)>, Option<usize>);

/// A scenario with a step for each of `ways` and an end for each of `wins`.
fn drawn(ways: &[Ways], wins: &[bool]) -> Scenario {
    let n = ways.len();
    let name = |i: usize| {
        if i < n {
            format!("s{i}")
        } else {
            format!("e{}", i - n)
        }
    };
    Scenario {
        kind: Kind::Form,
        lesson: "l".into(),
        title: "t".into(),
        intro: "i".into(),
        steps: ways
            .iter()
            .enumerate()
            .map(|(i, (choices, typed))| Step {
                id: name(i),
                screen: BTreeMap::new(),
                items: Vec::new(),
                ask: "a".into(),
                tap: false,
                choices: choices
                    .iter()
                    .enumerate()
                    .map(|(j, (to, right))| Choice {
                        text: format!("c{j}"),
                        right: *right,
                        feedback: "f".into(),
                        next: name(*to),
                    })
                    .collect(),
                input: typed.map(|to| Input {
                    label: "l".into(),
                    expect: "x".into(),
                    error: "e".into(),
                    next: name(to),
                }),
            })
            .collect(),
        ends: wins
            .iter()
            .enumerate()
            .map(|(i, win)| End {
                id: format!("e{i}"),
                win: *win,
                text: "t".into(),
            })
            .collect(),
    }
}

proptest! {
    #[test]
    fn the_careful_path_never_loops_and_ends_where_it_can(
        wins in prop::collection::vec(any::<bool>(), 1..4),
        ways in prop::collection::vec(
            (prop::collection::vec((0usize..12, any::<bool>()), 0..4), prop::option::of(0usize..12)),
            1..9,
        ),
    ) {
        let total = ways.len() + wins.len();
        let ways: Vec<_> = ways
            .into_iter()
            .map(|(c, t)| (c.into_iter().map(|(to, r)| (to % total, r)).collect::<Vec<_>>(), t.map(|to| to % total)))
            .collect();
        let scenario = drawn(&ways, &wins);
        let (steps, end) = scenario.careful_path();
        // From the first step, each step led to by the one before, none twice.
        prop_assert_eq!(&steps[0].id, &scenario.steps[0].id);
        let mut seen = BTreeSet::new();
        for step in &steps {
            prop_assert!(seen.insert(step.id.clone()), "{} twice", step.id);
        }
        for pair in steps.windows(2) {
            prop_assert!(pair[0].careful_order().contains(&pair[1].id.as_str()));
        }
        // Which ends can be reached at all, by any way.
        let mut reached = BTreeSet::from([scenario.steps[0].id.clone()]);
        let mut todo = vec![scenario.steps[0].id.clone()];
        while let Some(id) = todo.pop() {
            if let Some(step) = scenario.steps.iter().find(|s| s.id == id) {
                for next in step.careful_order() {
                    if reached.insert(next.to_string()) {
                        todo.push(next.to_string());
                    }
                }
            }
        }
        let can_win = scenario.ends.iter().any(|e| e.win && reached.contains(&e.id));
        let can_end = scenario.ends.iter().any(|e| reached.contains(&e.id));
        match end {
            Some(end) => {
                prop_assert!(steps.last().unwrap().careful_order().contains(&end.id.as_str()));
                prop_assert!(end.win || !can_win);
            }
            None => prop_assert!(!can_end),
        }
        // Where always taking the first careful way reaches a success, that is the path.
        let mut walk = vec![&scenario.steps[0]];
        let mut walked_to = None;
        while let Some(next) = walk.last().unwrap().careful_order().first().copied() {
            match scenario.steps.iter().find(|s| s.id == next) {
                Some(step) if !walk.iter().any(|s| s.id == step.id) => walk.push(step),
                Some(_) => break,
                None => {
                    walked_to = scenario.ends.iter().find(|e| e.id == next);
                    break;
                }
            }
        }
        if walked_to.is_some_and(|e| e.win) {
            let walked: Vec<&str> = walk.iter().map(|s| s.id.as_str()).collect();
            let taken: Vec<&str> = steps.iter().map(|s| s.id.as_str()).collect();
            prop_assert_eq!(walked, taken);
            prop_assert_eq!(walked_to, end);
        }
    }
}
