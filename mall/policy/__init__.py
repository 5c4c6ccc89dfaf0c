"""The policy year as data: every rule with a number or a date, one record per year (DOMAIN.md, "The
policy year"). `domain` (PolicyTerms, deadlines in Beijing time), `models` (the `policy_years` table),
`queries` (`terms_for`, `terms_at`: the stored year, or the defaults when none is stored), `services`
(`ensure_year`). Every package reads its ratios, windows and dates from here, never from constants."""
