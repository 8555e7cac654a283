# Học số's interface in English: a translation of vi.ftl, message for message. (Project
# Fluent's syntax: https://projectfluent.org/fluent/guide/ — a `{ $name }` is a placeholder the
# box fills in; keep it, and keep each message's key on the left of `=` as it is.)

## The language itself, as the language switch shows it.

language-name = English

## The learner's pages: lessons, quizzes, joining and signing in, the live lesson on a phone.

site-name = Học số
home-title = Learn digital skills
home-intro = Pick a topic to start. Each lesson takes a few minutes. No internet needed.
topics = Topics
lessons-heading = Lessons
lessons = { $n ->
        [one] { $n } lesson
       *[other] { $n } lessons
    }
minutes = { $n } min
slides = { $n ->
        [one] { $n } part
       *[other] { $n } parts
    }
start = Start learning
home = Home
objective = What you will learn
previous = Previous
next = Next
all-done = You have seen every lesson. Back to home
not-translated = This lesson is not translated yet; here it is in Vietnamese.
language = Language
go-home = Back to home
not-found = Page not found
not-found-detail = This page is not on the Học số box. The address may be mistyped.
bad-request = Bad request
bad-request-detail = The box did not understand this address. Go back and try again.
bad-lang-detail = That language is not available. Choose Tiếng Việt or English.
method-not-allowed = Not allowed here
method-not-allowed-detail = This page does not take that kind of request.
too-large = Too much data
too-large-detail = What was sent is too large. Nothing was stored.
timeout = The box waited too long
timeout-detail = The request took too long. Please try again.
server-error = Something went wrong
server-error-detail = The box hit an error opening this page. Try again, or tell the facilitator.
disk-full = The box's storage is full
disk-full-detail = The box's storage is full, so what you just did was not saved. Tell the facilitator: they need to make room or change the memory card.
sign-in = Sign in
join = New learner
hello = Hello, { $name }!
continue-learning = Continue
all-finished = You have finished every lesson. Well done!
lessons-done = { $done } of { $total } lessons done
done = Done
module-finished = You have finished this topic.
see-certificate = See your certificate
finished-reading = I have finished this lesson
read-already = You have finished this lesson.
best-score = Best score: { $best } of { $total } right
take-quiz = Take the quiz
sign-in-to-save = Want the box to remember your lessons? Sign in with your name.
quiz-title = Quiz: { $title }
quiz-intro = Pick one answer for each question, then press Submit.
quiz-missing = Some questions have no answer. Pick one for each question marked ⚠.
not-answered = Not answered
submit-answers = Submit
quiz-result = Your result
score = { $right } of { $total } right
quiz-passed = Passed! You understood the lesson.
quiz-not-passed = Not passed yet. You need at least 2 out of 3 right. Read the lesson again and try again.
right = Right
wrong = Wrong
right-answer = The right answer is
try-again = Try again
read-again = Read the lesson again
my-progress = My lessons
part-of = Part { $part }/{ $parts }
part-previous = ◀ Back
part-next = Next ▶
parts-nav = Parts of the lesson
whole-lesson = See the whole lesson
one-part-at-a-time = One part at a time
finish-recorded = Saved
finish-recorded-quiz = You have finished this lesson. Now take the short quiz.
finish-recorded-next = You have finished this lesson. On to the next one.
quiz-sent-score = Your quiz was sent: { $right } of { $total } right.
see-result = See the result
join-title = Join
join-intro = Only your name and village are needed. The rest may be left empty.
form-has-problems = Something is not right. Fix the fields marked ⚠ and send again.
your-name = Your name
your-village = Your village
other-village = Another village (type its name)
optional-below = The fields below are optional.
birth-year = Year of birth
gender = Gender
gender-female = Female
gender-male = Male
gender-other = Other
ethnic-group = Ethnic group
ethnic-other = Other
secret-heading = Secret code
secret-intro = So nobody else can sign in with your name. Remember your code.
secret-none = No code
secret-pin = A PIN: 4 digits
pin-label = Type 4 digits
secret-picture = A picture code: 3 pictures in order
picture-how = Tap 3 pictures, one after another.
code-so-far = Your code so far:
undo-picture = Take back the last picture
joined-title = You have joined
your-code = Your code:
remember-code = Remember these 3 pictures, in this order. Next time, tap them again to sign in.
start-learning = Start learning
forgot-secret = Forgot your code? Ask the facilitator.
learner-name = Learner's name
join-button = Join and start learning
already-joined = Joined before?
err-name-empty = Type your name.
err-name-long = The name is too long (60 letters at most).
err-name-hidden = The name has hidden or control characters. Clear it and type it again.
err-village-empty = Pick or type your village.
err-village-long = The village name is too long (60 letters at most).
err-village-hidden = The village name has hidden or control characters. Clear it and type it again.
err-birth-year = The year of birth must be 4 digits, like 1985.
err-choice = Pick one from the list.
err-pin = The PIN must be exactly 4 digits.
err-pictures = Tap 3 pictures.
sign-in-title = Sign in
sign-in-for-live = To join the group lesson, pick your name first. Then you go straight in.
sign-in-for-page = The page you opened needs to know who you are. Pick your name, then you go back to it.
go-to-live = Join the group lesson
go-to-page = Back to the page you opened
nobody-yet = Nobody has joined on this box yet.
pick-village = Which village are you from?
learners-count = { $n ->
        [one] { $n } learner
       *[other] { $n } learners
    }
new-here = First time here?
other-villages = Other villages
pick-name = Pick your name.
search-label = Find your name: type its first letters
search = Find
no-such-name = No such name. Type again, or join as a new learner.
born = Born { $year }
joined-on = Joined { $date }
more-names = { $n } more. Type the first letters of your name to find it.
not-in-list = Your name is not here?
enter-pin = Type your 4-digit PIN
enter-pictures = Pick your 3 pictures, in order.
is-this-you = Is this you?
not-you = Not me, pick again
wrong-secret = That code is not right. Try again.
wait-before-retry = Too many wrong tries. Wait { $seconds } seconds and try again.
me-title = My lessons
module-finished-on = Finished on { $date }
certificate = Certificate
quiz-to-pass = Quiz still to pass
opened = Started
not-started = Not started
switch-learner = Switch learner
movement = The “Digital literacy for all” movement
commune-committee = People's Committee of { $name } { $kind ->
        [phuong] Ward
        [dac-khu] Special Zone
        [thi-tran] Town
       *[xa] Commune
    }
nation = Socialist Republic of Viet Nam
motto = Independence - Freedom - Happiness
certificate-heading = Certificate
certifies-that = This certifies that
village-label = Village
has-finished = has finished the topic
lessons-count-done = { $n } lessons and their quizzes.
on-date = on { $date }
facilitator-signs = Facilitator (signature and name)
print-hint = To print: open the browser menu and choose Print.
not-signed-in = You are not signed in
not-signed-in-detail = Sign in with your name first.
stale-form = This form is out of date
stale-form-detail = This page is old or did not come from this Học số box. Open the page again and send it again.
card-is-you = Are you { $name }?
card-enter = Yes, start learning
card-not-you = That is not me
card-unknown = This card no longer works
card-unknown-detail = It was locked or replaced by a new card. Ask your facilitator.
live-title = Group lesson
live-link = In a group lesson? Enter its code
live-intro = Type the 4-digit code shown on the projector to follow the class.
live-code = Lesson code
live-join = Join
live-no-code = No open lesson has this code. Check the code on the projector.
live-not-in-group = This lesson is for the group “{ $group }”. Ask the facilitator to add you to it.
live-ended = The lesson has ended
live-ended-detail = Your attendance is recorded. Thank you!
live-score = You answered { $right } of { $total } questions right.
live-step = Page { $step } of { $steps }
live-question = Question { $question } of { $questions }
live-pick = Tap your answer:
live-your-answer = You chose
live-wait-reveal = Wait for the facilitator to show the answer.
live-right = Right answer
live-mine-right = You chose { $mine }: right!
live-mine-wrong = You chose { $mine }: not right. The right answer is { $right }.
live-mine-none = You did not answer this one. The right answer is { $right }.
live-too-late = Answers to this question are closed.
live-follow = This page follows the projector.
live-turn = Step { $step }
live-room-chose = The class chose
live-wait-room = Sent. Wait for the whole class to choose.
live-look-up = For this step, look at the projector together.
welcome-title = Welcome to Học số
welcome-intro = This Wi-Fi is the hall's digital-skills class. It is free and needs no internet.
welcome-browser = Before you join, open your browser (Chrome…) and type this address: this window can close by itself and lose what you typed.
welcome-qr = Someone beside you wants to learn too? Let them scan this code with their own phone's camera:
address-label = The class's address
copy-address = Copy the address
copied = Copied. Open your browser, press and hold the address bar, and choose Paste.
welcome-enter = Open the lessons
welcome-where-wifi-commune = You are on the Wi-Fi "{ $wifi }" of the hall, { $commune }.
welcome-where-wifi = You are on the hall's Wi-Fi "{ $wifi }".
welcome-where-commune = The class of the hall, { $commune }.
display = Display
large-text = Large text
high-contrast = High contrast
read-aloud = 🔊 Read aloud
stop-reading = ⏹ Stop reading
recording = Listen to the recording
queued = The Wi-Fi dropped. Your result is kept on this phone and will be sent when the Wi-Fi is back.
waiting = Results waiting to be sent: { $n }. Do not clear the browser's data.
sent = The waiting results have been sent.
take-home = Take home
take-home-note = Download the whole topic as one file. It opens at home, without Wi-Fi.
print-version = Print version
print-how = Use the browser's Print command (A4) to print this page.
print-now = Print this page
self-check = Check yourself
check-answer = Check
offline-file-note = This file is for reading without Wi-Fi. Self-check and practice results are not saved: take the quiz on { $address } at the hall.
needs-script = The self-check needs JavaScript.
write-answer = Tick your answer:

# Recorded readings on a lesson's page, and who made a lesson.
hear-listen-in = Listen in { $name }
hear-whole = whole lesson
hear-slide = slide { $n }
hear-own = Made in this commune
hear-by = By { $who }

practice-heading = Practice
practice-kind-inbox = Messages
practice-kind-call = Phone call
practice-kind-form = Online form
practice-kind-pay = QR payment
practice-kind-chat = Asking a chatbot
practice-kind-settings = Settings
practice-count = { $n ->
        [one] { $n } practice
       *[other] { $n } practices
    }
practice-done-count = { $done }/{ $total } practices done
practice-simulated = A simulation: no real message, call or money. Try anything; mistakes are fine here.
practice-chat-note = A practice chat: the answers are written in advance for practice; this is not a real AI.
practice-begin = Start the practice
practice-resume = Continue where you were
practice-restart = Start again
practice-done = Done
practice-tap-hint = Tap the underlined part.
practice-send = Send
practice-right = Right
practice-wrong = Not quite
practice-go-on = Continue
practice-try-step-again = Try this step again
practice-see-end = See what happens
practice-won = You stayed safe!
practice-lost = Caught this time
practice-try-again = Try again
practice-back-to-lesson = Back to the lesson
practice-next-practice = Next practice
practice-screen-label = A simulated phone screen
practice-messages = Messages
practice-incoming-call = Incoming call
practice-bank = Bank: transfer
practice-receiver = Receiver's name
practice-shop = Shop
practice-amount = Amount
practice-practice-chat = Practice chatbot
practice-settings = Settings
practice-new-message = New message
practice-type-value = Type: { $value }
practice-step-n = Step { $step }
practice-exercise-how = Look at each screen. Tick ☐ what you would do. Where something is typed, write it on the line.
practice-answer-key = Answer key for the facilitator
practice-cut-here = ✂ Cut or fold along this line before handing out.

## The frame around the facilitators' and officers' pages.

who-officer = Province officer
who-facilitator = Facilitator
sign-out = Sign out
f-nav-label = The facilitator's work
f-nav-label-wide = The facilitator's work (wide screen)
f-nav-dashboard = Dashboard
f-nav-learners = Learners
f-nav-groups = Groups
f-nav-live = Group lessons
f-nav-own-lessons = Commune lessons
f-nav-reports = Reports
f-nav-print = Printing
f-nav-sync = Sync
f-nav-settings = Settings
people-count = { $n ->
        [one] { $n } person
       *[other] { $n } people
    }

## A live lesson: the facilitator's control page (`/f/live`).

live-start-lead = Show the lesson on the projector; learners join with a code and follow on their phones.
live-group = Group
live-everyone = Everyone on the box
live-lesson-or-practice = Lesson or practice
live-practice = Practice
live-start = Start
live-recent = Recent sessions
live-started = Started
live-lesson = Lesson
live-code-short = Code
live-present = Present
live-ended-short = ended
live-open = Open
live-pick-lesson = Choose a lesson from the list.
live-pick-group = Choose a group from the list.
live-province-led = An online lesson led by the province · everyone on the box
live-ended-practice = The session has ended. Present: { $n }. Everyone present when the class reached an ending is recorded as having done this practice.
live-ended-lesson = The session has ended. The { $n } present are recorded in the learning results.
live-join-before = Learners open
live-join-after = and enter the code:
live-open-projector = Open the projector screen
live-at = Now at
live-at-step = step { $step }
live-at-slide = page { $slide }/{ $slides }
live-at-question = question { $question }/{ $questions }
live-attendance = Attendance ({ $n } present)
live-nobody = Nobody yet. People with a phone join with the code; mark people without one here (add them to the group first).
live-joined-by-phone = joined by phone
live-ticked = present
live-untick = Unmark
live-end = End
live-end-practice-note = Every choice made on a phone has been recorded. When the class reaches an ending of the practice, everyone present is recorded as having done it.
live-end-lesson-note = When it ends, everyone present is recorded as having studied this lesson; those who answered every question get a quiz score.
live-end-lesson = End the session
live-end-sure = End the session?
live-end-sure-note = Everyone present will be recorded as having studied this lesson. Once it ends, phones can no longer answer.
live-back-to-session = Back to the session

## A live lesson: the facilitator's buttons, and the projector (`/present/…`).

live-lead-here = Lead it here
live-follow-province = Follow the province
live-previous = ◀ Back
live-next = Next ▶
live-reveal = Show the answer
present-join = Join the group lesson
present-count = Present: { $n }
present-ended = The session has ended
present-ended-count = { $n ->
        [one] { $n } person present has been recorded.
       *[other] { $n } people present have been recorded.
    }
present-question = Question { $question }/{ $questions }
present-question-gone = The lesson has just been updated and no longer has this question. Press Next or end the session.
present-answered = answered
present-counts-label = How many chose each answer
present-province-total = The whole province ({ $halls } halls, { $people } people)
present-page = Page { $page }/{ $pages }
present-to-control = Attendance, end the session
present-keys = Keys ← → change the page.
present-right = Right
present-people = people

## A live lesson: a hall following the province, and a practice scenario run with the room.

province-leads = The province is leading the session.
province-lost = The link to the province is lost: the class stays at the last step received. Press “Lead it here” to go on from here.
province-led-here = This hall is leading itself. Press “Follow the province” to go back to the step the province is teaching.
province-led-here-lost = This hall is leading itself (the link to the province is lost).
room-chosen = have chosen
room-class-chose = The class chose
room-class-chose-letter = The class chose { $letter }
room-nobody-chose = Nobody has chosen yet.
room-input = Field to type in
room-input-say = the class says what to type.
room-end-recorded = The { $n } present are recorded as having done this practice.
room-step-gone = The practice has just been updated and no longer has this step. End the session.
room-next-letter = Next: follow { $letter } ▶
room-next-value = Next: follow the right value ▶
room-reveal = Show the class's choice
room-or-follow = Or have the class follow:
room-follow-letter = Follow { $letter }
room-follow-value = Follow the right value

## Print pages: the poster, sign-in cards and certificates (`/f/print`).

print-localhost = This page was opened at the box's own address (localhost), which phones cannot reach: open it from a device on the hall's Wi-Fi, then print.
print-title = Print
print-poster-card = A poster for the hall
print-poster-card-note = QR codes to join the Wi-Fi and open the lessons.
print-by-group = Sign-in cards and certificates by group
print-no-groups = No groups yet.
print-make-group = Make a group
print-or-cards-from = , or print a person's card from the page
print-cards = Cards
print-certificates = Certificates
print-signin-cards = Sign-in cards
print-cards-how = One card per person. Scanning the QR code with a phone's camera (once on the hall's Wi-Fi) signs them in, with no code to remember. If a card is lost, lock it on that person's page.
print-cards-print = To print: open the browser's menu and choose Print. Cut along the dotted lines.
print-group-empty = The group has nobody in it yet.
print-scan-to-learn = Scan to start learning
print-poster = Poster
print-poster-lead = Learn digital skills for free on your phone.
print-poster-wifi = Join the Wi-Fi
print-wifi-name = Wi-Fi name
print-wifi-password = Password
print-no-password = No password needed.
print-poster-open = Open the lessons
print-or-type = Or type into the browser:
print-no-wifi = No Wi-Fi name yet: the poster only has the code that opens the lessons.
print-set-wifi = Enter the Wi-Fi name in Settings
print-certificates-count = { $n ->
        [one] { $n } certificate, one page each when printed. There are certificates only for topics finished (every lesson studied, every quiz passed).
       *[other] { $n } certificates, one page each when printed. There are certificates only for topics finished (every lesson studied, every quiz passed).
    }
print-no-commune = No commune name yet: the certificates are headed with the movement's name.
print-set-commune = Enter the commune's name in Settings

## Setting up (`/setup`) and signing in (`/f/signin`), facilitators and officers alike.

account-name-empty = Enter your name.
account-name-long = The name is longer than 60 characters.
account-name-hidden = The name has hidden or control characters. Delete it and type it again.
account-password-short = The password needs at least 8 characters.
account-password-long = The password is longer than 128 characters.
account-passwords-differ = The two passwords are not the same.
setup-box-title = Set up the Học số box
setup-box-lead = Create the first facilitator's account. The setup code is printed on the box's screen when it starts.
setup-commune = Commune's name
setup-hub-title = Set up the province server
setup-hub-lead = Create the first province officer's account. The setup code is printed on the screen when the server starts.
setup-province = Province's name
setup-code = Setup code
account-your-name = Your name
account-new-password = Password (at least 8 characters)
account-password-again = Password again
setup-button = Set up
setup-done = The box is set up
setup-done-lead = This box already has a facilitator. Setting up is done only once.
setup-wait = Too many wrong codes. Wait { $seconds } seconds and try again.
setup-wrong-code = The setup code is not right. Check the code printed on the box's screen.
signin-for-projector = The projector screen needs a facilitator signed in. Once you have signed in, it opens again.
signin-for-page = The page you opened is for facilitators. Once you have signed in, you go back to it.
signin-title = Facilitator sign-in
signin-name = Name
signin-button = Sign in
signin-forgot = Forgot your password? On the box, run:
signin-wait = Too many wrong tries. Wait { $seconds } seconds and try again.
signin-wrong = The name or password is not right.

## Syncing with the province (`/f/sync`).

sync-not-enrolled = The box is not enrolled with the province server.
sync-enrol = Enrol
sync-last-ok = Last successful sync
sync-never = never
sync-waiting = records waiting to go to the province
sync-last-failed = The last try failed
sync-new-identity = This box took a new identity because it runs on a different machine from the one it was set up on (a copied memory card, or moved to a new machine). Old identity:
sync-title = Sync with the province
sync-running = Syncing… The page will reload by itself.
sync-hub = Province server
sync-now = Sync now
sync-packs = Lesson packs received
sync-pack-version = version
sync-enrol-again = Enrol again
sync-enrol-title = Enrol with the province server
sync-enrol-lead = The province officer gives you the server's address and an enrolment code (good for one use).
sync-hub-address = Province server's address
sync-enrol-code = Enrolment code
sync-fingerprint = SHA-256 certificate fingerprint (only if the province gave one; leave empty otherwise)
sync-fingerprint-bad = The certificate fingerprint is not right: it is 64 digits (0–9, A–F), with or without colons, as on the paper the province gave you.
sync-link-https = The link is encrypted (HTTPS).
sync-link-pinned = The link is encrypted (HTTPS); the certificate is checked against the fingerprint
sync-link-plain = The link is plain HTTP, not encrypted: use it only on a local network (a laptop in the hall, the LAN).
sync-plain-refused = Sync is refused: the province server's address is public and the link is plain HTTP, not encrypted, so learners' details (village, birth year, gender, ethnic group) would cross the internet readable by anyone. Enrol again with the province's https:// address, or turn on "Allow plain HTTP to a public address" in Settings.
sync-names = Learners' names
sync-share-names = Send learners' full names to the province (otherwise the province gets only their number, village, birth year, gender and ethnic group)
save = Save
sync-usb = No network? Use a USB stick
sync-usb-export = Download the records not yet sent to this device, copy them to a USB stick and take it to the province.
sync-usb-download = Download the records file for USB
sync-usb-reply-before = The province takes the file and gives back a
sync-usb-reply-file = reply file
sync-usb-reply-after = (what the province holds, and new lessons if any). Choose that file here:
sync-reply-file = The province's reply file
sync-take-reply = Take the reply file
sync-usb-enrol-first = Enrol with the province server first (above); then records can go by USB.
sync-cli-export = On the box, the same is done with
sync-cli-file = FILE
sync-cli-import = ; the province's reply file is taken with
sync-code-missing = Enter the enrolment code the province gave you.
sync-enrolled = Enrolled with the province server (for { $commune }). The box is starting to send its records.
sync-reply-missing = Choose the province's reply file (the .hocso file on the USB stick).
sync-reply-taken = The province's reply file has been taken.
sync-hub-holds-all = The province holds all the box's records.
sync-still-waiting = { $n ->
        [one] { $n } record has not gone to the province yet; it will go next time.
       *[other] { $n } records have not gone to the province yet; they will go next time.
    }
sync-new-packs = { $n ->
        [one] { $n } new lesson pack is now on the box.
       *[other] { $n } new lesson packs are now on the box.
    }

## Learners and groups (`/f/learners`, `/f/groups`).

people-search = Search by name
people-search-button = Search
people-village-filter = Village
people-all = All
people-register = Register a learner
people-found = { $found } found (of { $all } on the box).
people-none-found = Nobody found.
people-village = Village
people-birth-year = Birth year
people-protection = Protection
people-only-first = Only the first { $n } are shown. Search by name or village.
people-pin = PIN
people-picture = Pictures
people-register-lead = For someone without a phone, or who asks you to do it for them. They are not signed in on your device.
people-fix-below = Correct the places marked ⚠ below.
people-register-button = Register
people-born = born { $year }
people-registered-on = registered on { $date }
people-results = Learning results
people-print-card = Print the card
people-no-group = Not in any group yet.
people-add-to-group = Add to a group
people-edit = Edit details
people-save = Save details
people-now = Now
people-pin-note = Set a new code when the learner forgets theirs. A phone signed in as this person will have to sign in again.
people-new-pin = New PIN (4 digits)
people-set-pin = Set the new PIN
people-no-secret = Remove the code (no code needed)
print-signin-card = Sign-in card
people-card-issued = Has a card, made on { $date }. Scanning the card's QR code signs them in.
people-no-card = No card yet.
people-renew-card = Make a new card (the old one stops working)
people-revoke-card = Lock the card
people-issue-card = Make a card
people-registered = Registered. You can print a card so this person signs in with a QR code.
people-saved = Details saved.
people-pin-changed = Code changed.
people-card-updated = Card updated.
groups-lead = A class, a village, a youth union branch: group lessons and reports by group.
groups-none = No groups yet.
groups-new = Make a new group
groups-name = Group's name
groups-name-example = Tuesday evening class
groups-name-empty = Enter the group's name.
groups-name-long = The group's name is longer than 60 characters.
groups-name-hidden = The group's name has hidden or control characters. Delete it and type it again.
groups-name-taken = There is already a group with this name.
groups-start-live = Start a group lesson
groups-report = Group's report
groups-print-cards = Print the whole group's cards
groups-members = Members ({ $n })
groups-empty = The group has nobody yet. Choose learners below to add them.
groups-remove = Remove the people chosen from the group
groups-add-title = Add people to the group
groups-nobody-left = Nobody is left to add.
groups-add = Add the people chosen

## Reports (`/f/reports`). The CSV files keep Vietnamese column names, for the sheets that read them.

rep-finished = Lessons done
rep-passed-quizzes = Quizzes passed
rep-average = Average
rep-live = Group lessons
rep-opened = Opened
rep-done = Done
rep-passed = Passed
rep-practice = Practice
rep-began = Began
rep-to-the-end = Reached the end
rep-stayed-safe = Stayed safe
rep-first-try = Right the first time
rep-worst-step = Step most got wrong
rep-finished-on = Finished
rep-score = Score
rep-attempts = Attempts
rep-runs = Runs to the end
rep-first-time = First time
rep-question = Question
rep-answers = Answers
rep-wrong = Wrong
rep-csv = Download the table (CSV, opens in Excel)
rep-each-learner = Each learner
rep-each-learner-title = Report on each learner
rep-learners-on-box = learners on the box
rep-reached = have finished at least one lesson
rep-finishes = lessons finished
rep-quizzes-passed = quizzes passed
rep-attendances = attendances at group lessons
rep-group = Group { $group }
rep-group-title = Report on the group { $group }
rep-by-topic = Lessons finished by topic
rep-each-lesson = Each lesson
rep-worst-choice = { $percent }% chose “{ $choice }” at “{ $question }”
rep-worst-typed = { $percent }% typed it wrong at “{ $question }”
rep-per-member = Lessons finished by each person
rep-whole-topic = Finished a whole topic
rep-whole-topic-note = How many finished every lesson of the topic, out of { $n }.
rep-learner-title = { $name }'s learning results
rep-details = Details
rep-nothing-yet = No lessons studied yet.
rep-each-lesson-results = Results by lesson
rep-not-yet = Not yet
rep-yes = Yes
rep-no = No
rep-lesson-opened = have opened the lesson
rep-lesson-finished = have finished it
rep-lesson-answered = have taken the quiz
rep-lesson-passed = passed
rep-lesson-live = studied this lesson in a group lesson
rep-hardest = Questions most got wrong
rep-hardest-note = The share of wrong answers, over every attempt (alone and in group lessons).
rep-hardest-chart = Share of wrong answers per question

## The facilitator's dashboard (`/f`) and the box's settings (`/f/settings`).

set-commune-empty = Enter the commune's name.
set-commune-long = The commune's name is longer than 100 characters.
set-commune-hidden = The commune's name has hidden or control characters. Delete it and type it again.
set-ssid-long = The Wi-Fi name is longer than 32 characters.
set-wifi-password = The Wi-Fi password needs 8 to 63 characters (leave it empty if the network has none).
set-password-without-ssid = A Wi-Fi password needs the Wi-Fi name too.
set-hub-url = The province server's address is not right. Type it as on the paper the province gave you, for example https://hocso.daklak.gov.vn or 192.168.1.10:8090 (with or without http:// in front).
set-lang = Choose a language from the list.
set-wifi-phones = The number of phones the Wi-Fi takes is a number from 1 to 5000.
dash-province-live = The province is teaching online
dash-code = code
dash-control = Control, attendance
dash-today = Today
dash-joined = new learners
dash-opened = lessons opened
dash-finished = lessons finished
dash-quizzes = quizzes taken
dash-practice = practices done to the end
dash-learners = Learners on the box
dash-open-sessions = Group lessons open now
dash-no-wifi = The hall's Wi-Fi name is not set yet.
dash-enter-in-settings = Enter it in Settings
dash-for-poster = to print the poster.
dash-phones = { $active } phones on the Wi-Fi (last 5 minutes); the Wi-Fi takes about { $limit }.
dash-wifi-full = The Wi-Fi is full: phones that come later may not connect.
dash-wifi-nearly-full = The Wi-Fi is nearly full.
dash-wifi-advice = Have people learn in turns, or connect another Wi-Fi access point (see the installation guide), then change the number in
dash-space-low = The box's storage is nearly full: { $free } free.
dash-space-advice = When it is full, the box cannot record anyone's learning. Delete files not needed on the memory card, or back up and move to a bigger card.
dash-space = Free storage: { $free }.
dash-backup-failed = The automatic backup at { $at } failed.
dash-backup-why = Reason: { $why }. Check that the backup USB stick is still plugged in and has free space.
dash-backup-last = Last automatic backup
dash-backup-into = into
dash-backup-none = No automatic backup yet. Run the box with
dash-backup-none-usb = (a USB stick) so that it backs itself up every 6 hours, or use the command
dash-clock-wrong = The box's clock may be wrong: it reads { $now }.
dash-clock-ignored = The last time the clock was set, it kept a time that cannot be right (before the software was made, or too many years after), so the box ignores it.
dash-clock-why = A wrong clock makes the dates in reports wrong (the records' order stays right). Set the time again:
dash-clock-from-browser = Set it from this device's time
dash-clock-date = Date (Vietnam's time)
dash-clock-time = Time
dash-clock-set = Set the time
dash-clock-invalid = The time is not valid
dash-clock-invalid-note = Enter today's date and the time now (Vietnam's time), for example 25/11/2026 and 14:30. It must be after this software was made and at most { $years } years later.
dash-back = Back
set-saved = Saved.
set-commune = Commune's name (printed on certificates and reports)
set-ssid = The hall's Wi-Fi name (for the poster)
set-password = Wi-Fi password (empty if none)
set-phones = How many phones the Wi-Fi takes at once (a Raspberry Pi's Wi-Fi: about 15; a separate access point: more)
set-hub = The province server's address (for syncing; may be empty)
set-plain-http = Allow plain HTTP to a public address (not advised: the link is not encrypted, and learners' details cross the internet readable by anyone)
set-default-lang = The box's default language

# The dashboard's card for the commune's own lessons.
dash-own = Commune lessons
dash-own-in-use = commune lessons in use
dash-own-edit = Write, edit, record
dash-own-media = Pictures and recordings
dash-own-of-budget = of the { $budget } MB set aside for the commune
dash-own-waiting = lessons waiting to go up to the province
dash-own-nearly-full = ⚠ The room for pictures and recordings is nearly used up. Delete some readings or old draft lessons.

## The hub: a commune's USB file (`/hub/usb`).

usb-title = A commune's USB file
usb-taken = File taken
usb-new-records = new records.
usb-new-proposals = new proposal(s) of the commune (see Communes' proposals).
usb-part-refused = Part not taken
usb-reply-title = The reply file to take back to the commune
usb-reply-how = Copy this file to the USB stick; the commune's facilitator chooses it on the box's Sync page. The box will learn what the province holds, and receive new lessons.
usb-reply-for = Reply file for
usb-the-box = the box
usb-held = the province holds up to record { $seq }
usb-lead = A commune without a network has its facilitator download the records file on the box's Sync page, copy it to a USB stick and bring it to the province. Choose that file here (taking the same file twice does no harm: each record counts once).
usb-file = The box's records file
usb-take = Take the file
usb-cli = On the server, the same is done with the command
usb-missing = Choose the records file the commune brought (a .hocso file).
usb-foreign-province = This file has records of a commune outside your province; nothing was taken from it.
usb-not-ours = This is not a Học số box's records file; nothing was taken from it.
usb-damaged = The file is damaged or was not copied completely; nothing was taken from it. Copy it again from the box and try again.
usb-unknown-box = Part of the file is not records of a box enrolled with this server (or it is the province's reply file); nothing was taken from it.

## The hub's pages for officers: the overview (`/hub`) and enrolment codes (`/hub/codes`). The CSV files keep Vietnamese column names.

hub-nav-overview = Overview
hub-nav-codes = Enrolment codes
hub-nav-usb = USB files
hub-nav-live = Online lessons
hub-nav-proposals = Communes' proposals
hub-never-synced = never synced
hub-whole-province-named = All of { $province }
hub-whole-country = The whole country
hub-whole-province = The whole province
hub-title-province = Học số · Overview of { $province }
hub-title-country = Học số · Overview of the country
hub-title = Học số · The province's overview
hub-conflict-box = The box of
hub-conflict = two boxes sent different records under one identity (a copied memory card?). The second one's records were refused. Contact the commune.
hub-reached = learners reached
hub-total-lessons = lessons finished
hub-total-practices = practices done right
hub-total-modules = topics completed
hub-daily = Records received in the last 30 days
hub-records = Records
hub-records-unit = records
hub-communes = Communes
hub-no-boxes = No box has enrolled yet.
hub-make-code-for = Make an enrolment code for a commune
hub-boxes-enrolled = boxes enrolled
hub-boxes-quiet = boxes not synced in the last 7 days
hub-new-identity = the box changed identity
hub-csv-boxes = Download the boxes' CSV
hub-by-commune-village = By commune, by village
hub-too-many = The country has too many communes and villages to read on one page:
hub-csv-commune = download the CSV by commune
hub-csv-village = download the CSV by village
hub-csv = Download the CSV
hub-packs = Lesson packs published
hub-national = Sending to the national server
hub-national-sends = This server sends the communes' records to
hub-national-all = All sent:
hub-national-sent = Sent
hub-national-rest = the rest will go by itself when the network is back.
hub-relays = Province servers joined
hub-unused = not used yet
hub-no-packs = No packs yet. Publish with the command
hub-folder = FOLDER
hub-on-server = on the server.
hub-codes-title = Enrolment codes for the communes
hub-codes-lead = Each code works once: the commune's facilitator enters it, with the province server's address, on the box's Sync page.
hub-code-for = Code for { $commune }
hub-province = Province
hub-province-name = Province's name (empty if the server serves one province only)
hub-make-code = Make a code
hub-not-used = not yet
hub-province-hidden = The province's name has hidden or control characters. Delete it and type it again.
hub-province-long = The province's name is longer than 100 characters.
hub-commune-missing = Enter the commune's name (at most 100 characters).
hub-lessons-done = Lessons finished
hub-practice = Practice
hub-modules-done = Topics completed
hub-attended = Group lesson attendances
hub-commune = Commune
hub-last-sync = Last sync
hub-ago = Ago
hub-join-code = Join code
hub-joined-at = Joined at
hub-made-at = Made at
hub-used = Used

## The hub: the province's online lesson (`/hub/live`).

hlive-every-commune = every commune
hlive-title = Province-wide online lessons
hlive-lead = The province leads a lesson; every hall (a community hall with a Học số box) follows it on the projector and on phones. Each box uses its own copy of the lesson, so even a weak link can follow.
hlive-running = Happening now
hlive-for = for
hlive-open-presenter = Open the presenter's screen
hlive-lesson = Lesson
hlive-every-province = Every province
hlive-halls = Halls
hlive-halls-short = Halls
hlive-all-communes = Every commune with a box ({ $n })
hlive-chosen-communes = Only the communes ticked below
hlive-mark-one = Tick at least one commune, or choose every commune.
hlive-no-box = No box of { $commune } has enrolled with this server yet.
hlive-running-already = An online lesson is already running for these communes: end it first.
hlive-hide-total = Hide the province's figures in the halls
hlive-show-total = Show the province's figures in the halls
hlive-online = Online, province-wide
hlive-following = halls following
hlive-lost = halls lost their link
hlive-led-here = halls leading themselves
hlive-ended = Halls that took part: { $n }. Each hall's attendance and answers reach the province when its box syncs.
hlive-question-gone = The lesson no longer has this question. Press Next, or end.
hlive-answered = people in the province have answered
hlive-counts-label = How many in the province chose each answer
hlive-to-halls = Halls, end the session
hlive-began = began
hlive-ended-note = The session has ended. Each box recorded attendance and answers as for a group lesson; the figures reach the province when the box syncs, each person once.
hlive-lost-short = link lost
hlive-led-here-short = leading itself
hlive-following-short = following
hlive-none-yet = No hall has joined yet. An enrolled box with a network joins by itself within seconds.
hlive-people = People
hlive-at = At
hlive-state = State
hlive-missing = the box doesn't have this lesson
hlive-absent = halls not joined yet
hlive-end-note = When it ends, each hall records those present as having studied this lesson, as for a group lesson.
hlive-end = End the session in every hall

## The hub: the province's online lesson, continued.

hlive-see = View

## The commune's own lessons (`/f/bai-hoc`): the list, the editor and its form, the preview.
## The checker's findings (`facilitate::authoring`) stay in Vietnamese.

own-title = Commune lessons
own-lead = Write a new lesson for the people of the commune, or copy a lesson the box already has and adapt it to the commune. Once a lesson is published, learners see it at once.
own-new = Write a new lesson
own-copy-label = Copy an existing lesson to adapt
own-copy = Copy to edit
own-list = The commune's lessons
own-none = No lessons yet.
own-lesson = Lesson
own-status = Status
own-in-use = In use
own-draft = Draft
own-proposed-at = sent to the province { $at }
own-untitled = (no title yet)
own-record = Record a reading
own-record-lead = Read a lesson aloud (one the box has, or the commune's own) in Vietnamese or an ethnic minority language, and record it on a phone for people to listen to.
own-record-choose = Choose a lesson to record
own-room = The commune's pictures and recordings: { $used } MB / { $budget } MB.
own-waiting = { $n ->
        [one] { $n } lesson is waiting to go up to the province at the next sync.
       *[other] { $n } lessons are waiting to go up to the province at the next sync.
    }
own-edit = Edit lesson
own-edit-title = Edit lesson: { $title }
own-see-on-phone = See it on a phone
own-open-as-learner = Open it as a learner
own-problems = { $n ->
        [one] { $n } thing to fix before the lesson can be published:
       *[other] { $n } things to fix before the lesson can be published:
    }
own-warnings = Worth checking (not required):
own-propose-title = Send to the province
own-propose-lead = The province reviews the lesson and may send it to every commune, credited to your commune. It goes with the next sync (network or USB).
own-propose = Send to the province
own-propose-again = Send the new version to the province
own-propose-first = Publish the lesson (with nothing left to fix) before sending it to the province.
own-delete-title = Delete lesson
own-delete = Delete this lesson
own-field-title = Title
own-field-objective = Objective
own-field-minutes = Reading time
own-field-slug = Short name
own-field-slide = Page { $n }
own-field-quiz = Question { $n }
own-slug-invalid = A short name has only lowercase letters without accents, digits and hyphens, for example: lua-dao-trung-thuong.
own-slug-taken = That topic already has a lesson with this short name: choose another.
own-not-saved = The lesson was not saved: see what needs fixing.
own-not-saved-in-use = Not saved: this lesson is in use, so it is saved only when nothing is wrong. Fix the places below and save again.
own-not-saved-pictures = Not saved: a picture could not be taken (see below).
own-saved-published = ✓ Saved and published: learners see the lesson now.
own-saved-with-problems = Saved as a draft. It could not be published: some things still need fixing (see below).
own-saved = ✓ Saved.
own-will-propose = ✓ The lesson will be sent to the province at the next sync.
own-preview = Preview
own-preview-heading = On a phone: { $title }
own-preview-width = The frame below is as wide as a phone's screen (360 pixels).
own-preview-frame = The lesson on a phone
own-phone-unreadable = The lesson cannot be read yet: fix the errors on its edit page.
own-phone-meta = Commune lesson · { $minutes } min
own-questions = Questions
own-over-budget = No room left for pictures and recordings: { $needed } MB needed, the box sets aside { $budget } MB. Delete some readings or old draft lessons.
own-form-objective = Objective: what can people do once they have learned it?
own-form-minutes = Reading time (minutes, 5 to 10)
own-form-module = Topic
own-form-slug = Short name in the address (no accents; left empty, it comes from the title)
own-form-slides = Pages
own-form-how = How to write a page
own-form-how-text = Just write ordinary text. Leave an empty line between two paragraphs.
own-form-how-heading = A heading on the page: start the line with
own-form-how-list = A list: one item per line, each line starting with
own-form-how-bold = Bold text:
own-form-how-bold-word = text
own-form-how-picture = Pictures: tap the picture button under the page, then take a photo or choose one on the phone. The box makes it smaller by itself.
own-form-how-no-links = Do not paste HTML code or links to the internet: the box has no internet.
own-form-add-picture = Add a picture to this page
own-form-picture-alt = Describe the picture (for people who cannot see it well)
own-form-drop-slide = To remove a page, delete all its text and save. After saving there is another empty page box.
own-form-quiz-rules = At least 3 questions, each with 3 or 4 choices; mark the right choice.
own-form-question = Question
own-form-right = Right
own-form-choice = Choice { $n }
own-form-explain = Why the right answer is right
own-form-save-draft = Save as a draft
own-form-save-publish = Save and publish
own-form-save = Save
own-form-unpublish = Back to a draft (learners no longer see it)

## Practice scenarios reworded in the commune (`/f/thuc-hanh`): only the words change, the
## steps, choices and ends stay as in the box's scenario.
scen-title = Commune practice
scen-lead = Copy a practice scenario the box has and change its words to suit the commune: people's names, amounts, what the scammer says, the advice. The steps and choices stay the same.
scen-copy-label = A practice scenario on the box
scen-copy = Copy to reword
scen-none = The commune has no practice scenario yet.
scen-scenario = Practice scenario
scen-new = Reword a practice scenario
scen-edit = Reword
scen-edit-title = Reword: { $title }
scen-keeps = Only the words change here. The steps, which choices are right or wrong, and the endings stay as in the original.
scen-open-as-learner = Open as a learner
scen-saved-published = ✓ Saved and published: learners see it now.
scen-delete-title = Delete the practice scenario
scen-delete = Delete this practice scenario
scen-step = Step { $n }
scen-choice = Choice { $n }
scen-end = Ending { $n }
scen-item = Item { $n }
scen-input = Box to type in
scen-key-title = Scenario title
scen-key-intro = Opening words
scen-key-from = Sender
scen-key-message = Message
scen-key-caller = Caller (as the phone shows it)
scen-key-says = What the caller says
scen-key-form = Form title
scen-key-shop = Shop name
scen-key-account = Account name the bank shows
scen-key-amount = Amount
scen-key-asked = Question asked to the chatbot
scen-key-reply = Chatbot's reply
scen-key-screen = Screen name
scen-key-ask = Question for the learner
scen-key-choice-text = Choice wording
scen-key-feedback = Feedback
scen-key-label = Box label
scen-key-expect = What must be typed
scen-key-error = Message when typed wrong
scen-key-end-text = Closing words

## Readings recorded on the box (`/f/bai-doc`). Languages are named in their own form
## (`facilitate::authoring::LANGUAGES`), and a recording refused says why in Vietnamese.

reading-title = Record readings
reading-lead = Choose the lesson to read aloud. Lessons that already have readings show how many beside them.
reading-count = { $n ->
        [one] { $n } reading
       *[other] { $n } readings
    }
reading-heading = Readings: { $title }
reading-page-title = Readings
reading-none = This lesson has no readings yet.
reading-lang = In { $name }
reading-slide = page { $n }
reading-whole = whole lesson
reading-recorded-on = recorded { $date }
reading-proposed-at = sent to the province { $at }
reading-propose = Send to the province
reading-delete = Delete
reading-from-province = Sent by the province
reading-add = Add a reading
reading-add-lead = Tap to choose a file: the phone opens its recorder. Read clearly and slowly, somewhere quiet; 15 minutes at most. When done, tap Save.
reading-in-lang = Read in
reading-other-lang = Another language (enter its code below)
reading-other-code = Another language: its ISO 639-3 code (3 letters, for example
reading-other-code-end = ) and its name
reading-code-placeholder = code
reading-name-placeholder = language name
reading-part = Which part is read
reading-whole-lesson = Whole lesson
reading-slide-option = Page { $n }
reading-file = Recording
reading-save = Save reading
reading-saved = ✓ Reading saved. Learners can listen to it on the lesson's page now.
reading-will-propose = ✓ The reading will be sent to the province at the next sync.
reading-deleted = ✓ Reading deleted.
reading-choose-lang = Choose a language; for another language, enter its ISO 639-3 code (3 lowercase letters) and its name.
reading-no-slide = The lesson has no such page.
reading-no-file = No recording yet: tap to choose a file, then record or pick a recording.

## The hub: what communes propose (/hub/de-xuat).

proposals-title = Communes' proposals
proposals-lead = Lessons and recorded readings that facilitators in the communes sent. Read, listen, then publish to every commune or decline.
proposals-all = All
proposals-none = No proposal yet.
proposals-commune = Commune
proposals-kind = Kind
proposals-lesson = Lesson
proposals-by = Sent by
proposals-when = Sent at
proposals-status = Status
proposal-kind-lesson = Lesson
proposal-kind-reading = Recorded reading ({ $lang })
proposal-new = New
proposal-adopted = Published
proposal-declined = Declined
proposal-sent = { $commune } · sent by { $by } · { $when }
proposal-decided = Decided by { $by } at { $when }.
proposal-problems = The lesson has problems, to be fixed in the commune before it can be published:
proposal-phone = On a phone
proposal-phone-frame = The lesson on a phone's screen
proposal-text = The lesson's text
proposal-quiz = Questions
proposal-recording = Recording
proposal-read-lesson = Lesson read
proposal-lesson-missing = this hub has no such lesson
proposal-language = Language
proposal-part = Part read
proposal-slide = Slide { $n }
proposal-whole = The whole lesson
proposal-length = Length
proposal-minutes = { $m } min { $s } s
proposal-decide = Decision
proposal-slug = The lesson's short name (lowercase letters without accents, digits, dashes)
proposal-adopt-note = The lesson reaches every commune at their next sync, credited to { $credit }.
proposal-adopt = Publish to every commune
proposal-decline = Decline
proposal-decided-already = This proposal was decided already.
proposal-bad-slug = A short name is lowercase letters without accents, digits and dashes, e.g. rua-tay-dung-cach.
proposal-slug-taken = This hub has a lesson { $lesson } already. Give this lesson another short name.
proposal-unknown-lesson = This hub does not serve the lesson { $lesson } this recording reads, so it cannot be published.
proposal-missing-media = The picture or recording { $name } is missing; nothing was published.
proposal-not-published = Not published: the pack has { $n } problem(s). The first: { $first }
