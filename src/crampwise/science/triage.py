"""Red-flag review: which warning signs does one athlete's journal raise, and how urgently?

Pure: a `History`, "now" and the answers to `check --ask` in; a `Review` out. The checklist
(levels, messages, advice, sources) is data in knowledge/redflags.toml; this module applies it.

Rules and their thresholds (source ids in brackets; `crampwise_convention` marks a number no
study gives):

- Symptoms logged on a cramp raise the matching symptom flags (dark urine -> emergency
  [cdc_niosh_rhabdo]; any one of swelling, redness or warmth on the calf or shin, or swelling
  with redness or warmth on the foot or thigh -> urgent [nhlbi_dvt]; ...). A sign on an
  episode older than `ACUTE_DAYS` is history to tell a doctor, so it is reported as `mention`.
- A cramp longer than 10 minutes -> urgent [nhs_leg_cramps]; severity 9-10 -> soon.
- Frequency floor: 3 or more cramp days within any 7 days of the last 28 -> soon
  [nice_cks_leg_cramps, nhs_leg_cramps]. Counting days, not episodes, keeps one bad race from
  counting three times.
- Frequency against the athlete's own baseline: the count of cramp days (days with at least one
  cramp, as in the floor above) in the last 28 days against the rate
  over up to a year before, by the exact conditional binomial test of two Poisson rates
  (given n = recent + baseline events, recent ~ Binomial(n, T_recent / (T_recent + T_baseline))
  under equal rates), one-sided; flagged when p < 0.01, the rate ratio >= 2 and >= 3 recent
  cramps [crampwise_convention].
- A rising trend: weekly counts of cramp days over the last 26 weeks, score test for a log-linear Poisson
  trend conditional on the total (z = (sum of event week indices - N(K-1)/2) / sqrt(N(K^2-1)/12)),
  one-sided p < 0.05 with >= 6 events over >= 8 weeks -> mention.
- Signs logged more than a year ago are not reviewed again.
- Unexplained cramps: at rest or in sleep with no session started in the 24 h before, in 3 or
  more different weeks of the last 8 -> soon.
- Sleep disturbed: sleep cramps on 4 or more nights of the last 28 -> soon [nhs_leg_cramps].
- Many sites: 4 or more different muscles cramping in the last 28 days -> soon [bergeron2008].
- Over-drinking: a usable sweat test (science/hydration.py) in the last 365 days that ended
  heavier than it began, the gain covered by what was drunk [hew_butler2015_eah] -> mention;
  soon when 2 or more sessions did so [crampwise_convention]. The emergency signs of
  hyponatraemia are the `hyponatraemia_signs` question.
- A new medicine: a medicine linked to cramps (by kind or name; garrison2012), after whose start
  date at least 2 cramps came within 90 days at a higher rate than in the same span before it ->
  mention; soon when those cramps are frequent (the floor above) or severe (9-10). With under 28
  days of journal before the start (a new user) there is nothing to compare: 2 or more cramps
  since the start are raised the same way, saying that no record from before exists.

Benign histories (occasional cramps during or after hard sessions, nothing logged with them)
raise nothing above `mention`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from crampwise.domain.enums import CrampContext, Level
from crampwise.domain.history import History
from crampwise.domain.records import Cramp, Medication
from crampwise.knowledge.redflags import red_flags
from crampwise.science.hydration import Flag as SweatFlag
from crampwise.science.hydration import sweat_tests
from crampwise.science.triage_flags import (
    ACUTE_DAYS,
    Flag,
    Review,
    answered_codes,
    raise_flag,
)
from crampwise.science.triage_stats import max_days_in_week, rate_test, trend_test

RECENT_DAYS = 28  # the "recent" window of the frequency rules [crampwise_convention]
BASELINE_MAX_DAYS = 365
BASELINE_MIN_DAYS = 56  # less baseline than this and no rate comparison is made
RATE_ALPHA = 0.01
RATE_MIN_RATIO = 2.0
RATE_MIN_RECENT = 3
FLOOR_DAYS_PER_WEEK = 3  # NICE CKS / NHS: >= 3 attacks a week
LONG_CRAMP_S = 600  # NHS: a cramp lasting over 10 minutes -> urgent
SEVERE_MIN = 9  # 0-10 scale; "extremely severe" [crampwise_convention]
TREND_WEEKS = 26
TREND_MIN_WEEKS = 8
TREND_MIN_EVENTS = 6
TREND_ALPHA = 0.05
UNEXPLAINED_GAP_H = 24
UNEXPLAINED_WEEKS = 8
UNEXPLAINED_MIN_WEEKS = 3
SLEEP_MIN_NIGHTS = 4
MANY_SITES_MIN = 4
OVERDRINK_DAYS = 365  # sweat tests looked at [crampwise_convention]
OVERDRINK_REPEAT = 2  # sessions with a mass gain that make it `soon` [crampwise_convention]
MEDICINE_WINDOW_DAYS = 90
MEDICINE_MIN_AFTER = 2


def symptom_flags(cramp: Cramp) -> list[Flag]:
    """The symptom flags one cramp raises at their full level (used right after logging it)."""
    present = frozenset(cramp.symptoms)
    book = red_flags()
    matched = [f for f in book.by_trigger("symptom") if f.matches_symptoms(present, cramp.muscle)]
    codes = {f.code for f in matched}
    kept = [f for f in matched if not codes.intersection(f.superseded_by)]
    out = [raise_flag(f, [cramp.id], detail=_symptom_detail(cramp)) for f in kept]
    if cramp.duration_s is not None and cramp.duration_s > LONG_CRAMP_S:
        out.append(
            raise_flag(book.get("long_cramp"), [cramp.id], detail=f"lasted {cramp.duration_s / 60:.0f} min")
        )
    return sorted(out, key=lambda f: -f.level.rank)


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
    return Review(level=top, flags=tuple(flags), disclaimer=book.disclaimer)


def _merge(group: Sequence[Flag]) -> Flag:
    first = group[0]
    episodes = tuple(dict.fromkeys(e for f in group for e in f.episodes))
    details = [f.detail for f in group if f.detail]
    detail = "; ".join(details[:3]) + (f"; and {len(details) - 3} more" if len(details) > 3 else "")
    return Flag(first.code, first.level, first.message, first.advice, episodes, first.sources, detail)


def _local_day(cramp: Cramp, history: History) -> date:
    return cramp.at.astimezone(history.athlete.zone).date()


def _pattern_flags(history: History, cramps: list[Cramp], now: datetime) -> list[Flag]:
    book = red_flags()
    out: list[Flag] = []
    recent_since = now - timedelta(days=RECENT_DAYS)
    recent = [c for c in cramps if c.at >= recent_since]

    severe = [c for c in recent if c.severity is not None and c.severity >= SEVERE_MIN]
    if severe:
        out.append(
            raise_flag(
                book.get("severe_cramp"),
                [c.id for c in severe],
                detail=f"{len(severe)} cramp(s) rated {SEVERE_MIN}-10 in the last {RECENT_DAYS} days",
            )
        )

    n_days, week = max_days_in_week(_local_day(c, history) for c in recent)
    if n_days >= FLOOR_DAYS_PER_WEEK:
        ids = [c.id for c in recent if _local_day(c, history) in week]
        out.append(
            raise_flag(
                book.get("frequent_cramps"),
                ids,
                detail=f"cramps on {n_days} days between {week[0]} and {week[-1]}",
            )
        )

    out.extend(_baseline_flags(history, cramps, recent, now))

    sleep = [c for c in recent if c.context == CrampContext.SLEEP]
    nights = {_local_day(c, history) for c in sleep}
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
    over_drinking = _over_drinking(history, now)
    if over_drinking:
        out.append(over_drinking)
    for medication in history.medications:
        flag = _medicine_flag(history, cramps, medication, now)
        if flag:
            out.append(flag)
    return out


def _data_start(history: History) -> datetime | None:
    starts = [history.cramps[0].at] if history.cramps else []
    if history.sessions:
        starts.append(history.sessions[0].start)
    if history.days:
        first = history.days[0].date
        starts.append(datetime(first.year, first.month, first.day, tzinfo=history.athlete.zone))
    return min(starts) if starts else None


def _cramp_days(cramps: Sequence[Cramp], history: History) -> list[Cramp]:
    """The first cramp of each local day: the event the rate rules count (one bad race is one)."""
    seen: set[date] = set()
    out = []
    for cramp in cramps:
        day = _local_day(cramp, history)
        if day not in seen:
            seen.add(day)
            out.append(cramp)
    return out


def _baseline_flags(history: History, cramps: list[Cramp], recent: list[Cramp], now: datetime) -> list[Flag]:
    book = red_flags()
    out: list[Flag] = []
    start = _data_start(history)
    if start is None:
        return out
    recent_since = now - timedelta(days=RECENT_DAYS)
    base_from = max(start, recent_since - timedelta(days=BASELINE_MAX_DAYS))
    base_days = (recent_since - base_from).total_seconds() / 86400
    events = _cramp_days(cramps, history)
    k_recent = sum(1 for c in events if c.at >= recent_since)
    if base_days >= BASELINE_MIN_DAYS and k_recent >= RATE_MIN_RECENT:
        k_base = sum(1 for c in events if base_from <= c.at < recent_since)
        p, ratio = rate_test(k_recent, RECENT_DAYS, k_base, base_days)
        if p < RATE_ALPHA and ratio >= RATE_MIN_RATIO:
            detail = (
                f"cramps on {k_recent} days in the last {RECENT_DAYS} days against {k_base} in the "
                f"{base_days:.0f} days before (rate ratio {ratio:.1f}; exact conditional binomial test, one-sided p = {p:.2g})"
            )
            out.append(raise_flag(book.get("above_baseline"), [c.id for c in recent], detail=detail))

    trend_from = max(start, now - timedelta(weeks=TREND_WEEKS))
    n_weeks = int((now - trend_from).days // 7)
    if n_weeks >= TREND_MIN_WEEKS:
        window_start = now - timedelta(weeks=n_weeks)
        in_window = [c for c in events if c.at >= window_start]
        if len(in_window) >= TREND_MIN_EVENTS:
            weeks = [min(int((c.at - window_start).days // 7), n_weeks - 1) for c in in_window]
            z, p = trend_test(weeks, n_weeks)
            if p < TREND_ALPHA:
                detail = f"cramps on {len(in_window)} days over {n_weeks} weeks, rising (Poisson trend score test z = {z:.2f}, one-sided p = {p:.2g})"
                out.append(
                    raise_flag(book.get("rising_trend"), [c.id for c in in_window[-5:]], detail=detail)
                )
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


def _over_drinking(history: History, now: datetime) -> Flag | None:
    """Sessions finished heavier than begun, the gain explained by drinking (hew_butler2015_eah)."""
    since = now - timedelta(days=OVERDRINK_DAYS)
    recent = [s for s in history.sessions if since <= s.start <= now]
    gained = [t for t in sweat_tests(recent) if t.usable and SweatFlag.MASS_GAIN in t.flags]
    if not gained:
        return None
    zone = history.athlete.zone
    shown = "; ".join(
        f"{t.start.astimezone(zone).date()} {t.sport.value}: {t.pre_mass_kg:g} -> {t.post_mass_kg:g} kg"
        + (f" with {t.fluid_ml:g} ml drunk" if t.fluid_ml else "")
        for t in gained[-3:]
    )
    more = f" (and {len(gained) - 3} earlier)" if len(gained) > 3 else ""
    detail = f"{len(gained)} session(s) in the last {OVERDRINK_DAYS} days ended heavier than they began: {shown}{more}"
    level = Level.SOON if len(gained) >= OVERDRINK_REPEAT else None
    return raise_flag(red_flags().get("over_drinking"), [], detail=detail, level=level)


def _medicine_flag(
    history: History, cramps: list[Cramp], medication: Medication, now: datetime
) -> Flag | None:
    book = red_flags()
    if not book.is_linked_medicine(medication.name, medication.kind.value):
        return None
    zone = history.athlete.zone
    started = datetime(medication.started.year, medication.started.month, medication.started.day, tzinfo=zone)
    start = _data_start(history)
    if start is None or started > now:
        return None
    since = min(timedelta(days=MEDICINE_WINDOW_DAYS), now - started)
    after = [c for c in cramps if started <= c.at < started + since]
    if len(after) < MEDICINE_MIN_AFTER:
        return None
    what = f"{medication.name} ({medication.kind.value}) started {medication.started}"
    record_before = started - start
    if record_before < timedelta(days=RECENT_DAYS):
        # A new user's journal often begins with the medicine: nothing to compare with, so the
        # cramps since the start are worth mentioning on their own (conservative).
        journal = (
            f"the journal begins {start.astimezone(zone).date()}"
            if record_before <= timedelta(0)
            else f"only {record_before.total_seconds() / 86400:.0f} days of journal before it"
        )
        detail = (
            f"{what}: {len(after)} cramps logged since it started; {journal}, "
            "so there is no record from before it to compare"
        )
    else:
        span = min(since, record_before)
        after = [c for c in after if c.at < started + span]
        before = [c for c in cramps if started - span <= c.at < started]
        if len(after) < MEDICINE_MIN_AFTER or len(after) <= len(before):
            return None
        detail = f"{what}: {len(after)} cramps in the {span.days} days after it against {len(before)} in the {span.days} days before"
    definition = book.get("new_medicine")
    n_days, _ = max_days_in_week(_local_day(c, history) for c in after)
    heavy = n_days >= FLOOR_DAYS_PER_WEEK or any((c.severity or 0) >= SEVERE_MIN for c in after)
    flag = raise_flag(definition, [c.id for c in after], detail=detail, level=Level.SOON if heavy else None)
    sources = tuple(dict.fromkeys([*definition.sources, *book.linked_sources]))
    return Flag(flag.code, flag.level, flag.message, flag.advice, flag.episodes, sources, flag.detail)
