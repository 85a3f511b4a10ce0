"""Red-flag review: which warning signs does one athlete's journal raise, and how urgently?

Pure: a `History`, "now" and the answers to `check --ask` in; a `Review` out. The checklist
(levels, messages, advice, sources) is data in knowledge/redflags.toml; this module applies it,
with the frequency rules in science/triage_rates.py and the weight-gain and medicine rules in
science/triage_exposures.py.

Rules and their thresholds (source ids in brackets; `crampwise_convention` marks a number no
study gives):

- Symptoms logged on a cramp raise the matching symptom flags (dark urine -> emergency
  [cdc_niosh_rhabdo]; any one of swelling, redness or warmth on the calf or shin, or swelling
  with redness or warmth on the foot or thigh -> urgent [nhlbi_dvt]; ...). A sign on an
  episode older than `ACUTE_DAYS` is history to tell a doctor, so it is reported as `mention`.
- A cramp longer than 10 minutes -> urgent [nhs_leg_cramps]. Severity 9-10 -> mention: one
  very severe cramp alone is not a reason to book a visit; severe cramps on 2 or more days of
  the last 28 -> soon [crampwise_convention].
- Frequency floor: 3 or more cramp days within any 7 days of the last 28 -> soon. No source
  sets a weekly count as a referral threshold (NICE's "3 or more attacks a week" describes
  people over 60, it is not a threshold), so the number is a crampwise convention for the NHS's
  "cramps that come often" [nhs_leg_cramps, crampwise_convention]. Counting days, not episodes,
  keeps one bad race from counting three times.
- Frequency against the athlete's own baseline, by the exact conditional binomial test of two
  Poisson rates (given n = recent + baseline events, recent ~ Binomial(n, T_recent /
  (T_recent + T_baseline)) under equal rates), one-sided; flagged when p < 0.01, the rate ratio
  >= 2 and >= 3 recent cramp days [crampwise_convention]. So that it does not fire every summer
  (more training, more cramps), the baseline is seasonally comparable when the journal reaches
  back that far: the 12 weeks around the same date a year earlier. Without that, the excess
  must show twice: the last 28 days and the 28 before them, each against the baseline before
  them.
- A rising trend: weekly counts of cramp days over the last 26 weeks, score test for a log-linear Poisson
  trend conditional on the total (z = (sum of event week indices - N(K-1)/2) / sqrt(N(K^2-1)/12)),
  one-sided p < 0.05 with >= 6 events over >= 8 weeks -> mention.
- Signs logged more than a year ago are not reviewed again.
- Unexplained cramps: at rest or in sleep with no session started in the 24 h before, in 3 or
  more different weeks of the last 8 -> soon.
- Sleep disturbed: sleep cramps on 4 or more nights of the last 28 -> soon [nhs_leg_cramps].
- Many sites: 4 or more different muscles cramping in the last 28 days -> soon [bergeron2008].
- Over-drinking: a weighed session that ended at least 0.2 kg heavier than it began (less is
  scale noise, a crampwise convention), whatever fluid was recorded - an unknown or
  under-recorded drink does not make the gain harmless [hew_butler2015_eah]:
  - a session over 2 h that ended in the last 48 h -> urgent `weight_gain_recent`, with the
    symptom prompt; hyponatraemia can develop up to 24 h after exercise (the consensus) and
    48 h leaves time to log it [crampwise_convention]. A "yes" to `hyponatraemia_signs`
    (headache, nausea, vomiting, confusion) makes it an emergency;
  - otherwise, in the last 365 days -> mention `over_drinking`; soon when 2 or more sessions
    did so [crampwise_convention].
- A new medicine: a medicine linked to cramps (its group in redflags.toml, each with its
  source), after whose start cramps came within 90 days at a higher rate than in the same span
  before it (2 or more; for a statin or diuretic one is enough when logged with pain, weakness
  or dark urine). The group sets the level: statin and diuretic -> soon (talk to the
  prescriber; a CK or electrolyte test) [garrison2012, stroes2015_eas_sams]; others -> mention,
  soon when those cramps are frequent (the floor above) or severe (9-10); any group -> urgent
  when weakness or dark urine was logged on a cramp since the start. With under 28 days of
  journal before the start (a new user) there is nothing to compare: the cramps since the start
  are raised the same way, saying that no record from before exists.

Every message and advice is filled with the emergency number of the athlete's country
(knowledge/emergency.py: 112 in Madrid, 999 / NHS 111 in London, "your local emergency number"
when unsure). The review also says whether `check --ask` could still raise its level (`ask`).

Benign histories (occasional cramps during or after hard sessions, nothing logged with them)
raise nothing above `mention`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from crampwise.domain.enums import CrampContext, Level
from crampwise.domain.history import History
from crampwise.domain.records import Cramp
from crampwise.knowledge.emergency import Contacts, contacts_for_zone
from crampwise.knowledge.redflags import red_flags
from crampwise.science.triage_exposures import medicine_flag, over_drinking
from crampwise.science.triage_flags import (
    ACUTE_DAYS,
    AskHint,
    Flag,
    Review,
    answered_codes,
    filled,
    raise_flag,
    was_asked,
)
from crampwise.science.triage_rates import (
    BASELINE_MAX_DAYS,
    FLOOR_DAYS_PER_WEEK,
    RECENT_DAYS,
    SEVERE_MIN,
    baseline_flags,
    local_day,
)
from crampwise.science.triage_stats import max_days_in_week

LONG_CRAMP_S = 600  # NHS: a cramp lasting over 10 minutes -> urgent
SEVERE_REPEAT_DAYS = 2  # severe cramps on this many days of RECENT_DAYS make it `soon` [crampwise_convention]
UNEXPLAINED_GAP_H = 24
UNEXPLAINED_WEEKS = 8
UNEXPLAINED_MIN_WEEKS = 3
SLEEP_MIN_NIGHTS = 4
MANY_SITES_MIN = 4


def symptom_flags(cramp: Cramp, contacts: Contacts | None = None) -> list[Flag]:
    """The symptom flags one cramp raises at their full level (used right after logging it).

    `contacts` fills the emergency number in (knowledge/emergency.py); without it the text says
    "your local emergency number".
    """
    present = frozenset(cramp.symptoms)
    book = red_flags()
    matched = [
        f for f in book.by_trigger("symptom") if f.matches_symptoms(present, cramp.muscle, cramp.context)
    ]
    codes = {f.code for f in matched}
    kept = [f for f in matched if not codes.intersection(f.superseded_by)]
    out = [raise_flag(f, [cramp.id], detail=_symptom_detail(cramp)) for f in kept]
    if cramp.duration_s is not None and cramp.duration_s > LONG_CRAMP_S:
        out.append(
            raise_flag(book.get("long_cramp"), [cramp.id], detail=f"lasted {cramp.duration_s / 60:.0f} min")
        )
    fill = contacts or contacts_for_zone(None)
    return sorted((filled(f, fill) for f in out), key=lambda f: -f.level.rank)


def _symptom_detail(cramp: Cramp) -> str:
    names = ", ".join(s.value.replace("_", " ") for s in cramp.symptoms)
    return f"{cramp.muscle.value} cramp on {cramp.at.date().isoformat()} logged with: {names}"


def review(history: History, now: datetime, *, answers: Iterable[str] = ()) -> Review:
    """Every red flag this journal (and today's `--ask` answers) raises, most serious first."""
    book = red_flags()
    cramps = [c for c in history.cramps if c.at <= now]
    acute_since = now - timedelta(days=ACUTE_DAYS)
    grouped: dict[tuple[str, Level], list[Flag]] = {}

    def add(flag: Flag) -> None:
        grouped.setdefault((flag.code, flag.level), []).append(flag)

    for cramp in cramps:
        if cramp.at < now - timedelta(days=BASELINE_MAX_DAYS):
            continue  # signs from over a year ago are left to the clinical record
        old = cramp.at < acute_since
        for flag in symptom_flags(cramp):
            add(raise_flag(book.get(flag.code), flag.episodes, old=old, detail=flag.detail) if old else flag)
        for code in answered_codes(cramp):
            if code in {f.code for f in book.flags}:
                add(raise_flag(book.get(code), [cramp.id], old=old and book.get(code).level.rank > 1))
    latest = cramps[-1].id if cramps else None
    for code in answers:
        add(raise_flag(book.get(code), [latest]))
    for flag in _pattern_flags(history, cramps, now):
        add(flag)
    merged = [_merge(group) for group in grouped.values()]
    order = {f.code: i for i, f in enumerate(book.flags)}
    merged.sort(key=lambda f: (-f.level.rank, order.get(f.code, 0)))
    # The same code at a lower level (an old episode) adds nothing once it is raised higher.
    seen: set[str] = set()
    flags = []
    for flag in merged:
        if flag.code not in seen:
            flags.append(flag)
            seen.add(flag.code)
    top = flags[0].level if flags else Level.NONE
    contacts = contacts_for_zone(history.athlete.timezone)
    return Review(
        level=top,
        flags=tuple(filled(f, contacts) for f in flags),
        disclaimer=contacts.fill(book.disclaimer),
        ask=_ask_hint(cramps, seen, top, answered=set(answers)),
    )


def _ask_hint(cramps: Sequence[Cramp], raised: set[str], top: Level, *, answered: set[str]) -> AskHint:
    """Whether `check --ask` could still raise this review, and to which level.

    The questions ask what the journal cannot show (symptoms of the latest cramp, signs such as
    chest pain or confusion). Once `--ask` has been run on the latest cramp (or answers came
    with this check) the answers are in; otherwise the highest level an unraised question flag
    or symptom flag could add is what a "yes" could bring.
    """
    book = red_flags()
    asked = bool(answered) or (bool(cramps) and was_asked(cramps[-1]))
    possible = [f.level for f in book.questions() if f.code not in raised]
    possible += [f.level for f in book.by_trigger("symptom") if f.code not in raised]
    best = max(possible, key=lambda lvl: lvl.rank, default=Level.NONE)
    could = None if asked or best.rank <= top.rank else best
    return AskHint(asked=asked, could_raise_to=could)


def _merge(group: Sequence[Flag]) -> Flag:
    first = group[0]
    episodes = tuple(dict.fromkeys(e for f in group for e in f.episodes))
    details = [f.detail for f in group if f.detail]
    detail = "; ".join(details[:3]) + (f"; and {len(details) - 3} more" if len(details) > 3 else "")
    return Flag(first.code, first.level, first.message, first.advice, episodes, first.sources, detail)


def _pattern_flags(history: History, cramps: list[Cramp], now: datetime) -> list[Flag]:
    book = red_flags()
    out: list[Flag] = []
    recent_since = now - timedelta(days=RECENT_DAYS)
    recent = [c for c in cramps if c.at >= recent_since]

    severe = [c for c in recent if c.severity is not None and c.severity >= SEVERE_MIN]
    if severe:
        severe_days = {local_day(c, history) for c in severe}
        repeated = len(severe_days) >= SEVERE_REPEAT_DAYS
        out.append(
            raise_flag(
                book.get("severe_cramp"),
                [c.id for c in severe],
                detail=f"{len(severe)} cramp(s) rated {SEVERE_MIN}-10 on {len(severe_days)} day(s) in the last {RECENT_DAYS} days",
                level=Level.SOON if repeated else None,
            )
        )

    n_days, week = max_days_in_week(local_day(c, history) for c in recent)
    if n_days >= FLOOR_DAYS_PER_WEEK:
        ids = [c.id for c in recent if local_day(c, history) in week]
        out.append(
            raise_flag(
                book.get("frequent_cramps"),
                ids,
                detail=f"cramps on {n_days} days between {week[0]} and {week[-1]}",
            )
        )

    out.extend(baseline_flags(history, cramps, recent, now))

    sleep = [c for c in recent if c.context == CrampContext.SLEEP]
    nights = {local_day(c, history) for c in sleep}
    if len(nights) >= SLEEP_MIN_NIGHTS:
        out.append(
            raise_flag(
                book.get("sleep_disturbed"),
                [c.id for c in sleep],
                detail=f"sleep cramps on {len(nights)} nights in the last {RECENT_DAYS} days",
            )
        )

    muscles = {c.muscle for c in recent}
    if len(muscles) >= MANY_SITES_MIN:
        names = ", ".join(sorted(m.value for m in muscles))
        out.append(
            raise_flag(
                book.get("many_sites"),
                [c.id for c in recent],
                detail=f"{len(muscles)} different muscles in the last {RECENT_DAYS} days: {names}",
            )
        )

    unexplained = _unexplained(history, cramps, now)
    if unexplained:
        out.append(unexplained)
    out.extend(over_drinking(history, now))
    for medication in history.medications:
        flag = medicine_flag(history, cramps, medication, now)
        if flag:
            out.append(flag)
    return out


def _unexplained(history: History, cramps: list[Cramp], now: datetime) -> Flag | None:
    since = now - timedelta(weeks=UNEXPLAINED_WEEKS)
    starts = [s.start for s in history.sessions]
    found = []
    for cramp in cramps:
        if cramp.at < since or cramp.context not in (CrampContext.REST, CrampContext.SLEEP):
            continue
        i = bisect_left(starts, cramp.at - timedelta(hours=UNEXPLAINED_GAP_H))
        if i >= len(starts) or starts[i] > cramp.at:
            found.append(cramp)
    weeks = {int((c.at - since).days // 7) for c in found}
    if len(weeks) < UNEXPLAINED_MIN_WEEKS:
        return None
    detail = f"{len(found)} cramps at rest or in sleep with no session in the {UNEXPLAINED_GAP_H} h before, in {len(weeks)} different weeks of the last {UNEXPLAINED_WEEKS}"
    return raise_flag(red_flags().get("unexplained_cramps"), [c.id for c in found], detail=detail)
