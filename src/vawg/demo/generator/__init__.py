"""Generated force system extracts for the demo force. EVERY RECORD HERE IS INVENTED.

No open source holds a force's own domestic abuse, order, referral, missing-person or training
records, so the demo fills each extract template (:mod:`vawg.extracts.templates`) with
generated records. Every record reference starts ``GEN-`` (people are ``GEN-P-nnnnnn``, units
``GEN-...``) so a generated record can never be mistaken for a real one; no name appears.

The monthly totals follow the figures of the reference board paper (April 2022) at their
dates, and plausible levels elsewhere. The shaping rules, each keyed to calendar months so any
``start``/``end`` can be generated (the paper's figures appear when the range covers October
2020 to March 2022):

- **Missing episodes**: about 225 a month (summer higher), 62% juveniles (under 18) from a
  pool of repeat-missing children. Each month's median minutes missing is set exactly: 245-310
  until March 2021, falling steadily to about 172 by February 2022 (never below 168), and
  **160 in March 2022**, the lowest in over a year. Juveniles found within 24 hours (at most
  1,440 minutes): 86-89% until June 2021, about 90% in the summer of 2021, then 91-94% from
  October 2021 (**93% in March 2022**, over 90%). The shares are met by quotas, not by chance:
  each month's closed lengths are drawn below and above the median so the median is exact.
- **DVPNs**: 2-5 a month until August 2021, **3 in September 2021**, then 6, 9, 12, 16, 20
  and **24 in March 2022**: eight times September, the paper's 700% rise in six months. No
  DVPN in those two months is refused, so both applied and granted counts rise eightfold.
  Each granted DVPN is followed by a DVPO application the next day.
- **Stalking protection orders**: one each in June and August 2020, **none from October 2020
  to September 2021**, then 1, 2, 2, 3, 3, 3 applications from October 2021 to March 2022
  (**14**), plus five interim SPOs (November 2021 to March 2022).
- **Domestic abuse prosecution possible** (outcome 1 over outcomes other than 5, 11, 12, 13,
  17, 18, 19 and 20, by month of finalisation): about 9.5% until March 2021, rising through
  2021 to 14.6% in December 2021, then **15.8%, 16.3% and 17.1% in January to March 2022**
  (above 15% for three months and far above the year before). Outcome quotas per month make
  these exact up to rounding.
- **DA Alliance referrals**: 282-318 a month (**about 300**), plus smaller numbers to other
  partners.
- **Domestic abuse**: about 1,250 incidents a month with seasonality, 56% with a crime
  recorded (one crime each in ``da-crimes``), arrests in 30% of crimes rising to 37% by March
  2022, 37% repeat victims; crimes are finalised after a realistic delay and those not
  finalised by the end of the period stay open. Finalised-crime extracts (rape, other sexual
  offences, stalking and harassment, honour-based abuse, other VAWG, and the finalised DA
  crimes) use outcome quotas with rape charge rates rising from 3.5% to 6%.
- **Clare's Law** about 40 right-to-ask and 50 right-to-know a month; **MARAC** about 110
  referrals a month with 31% repeats (inside SafeLives' 28-40%); **specialist staff**
  establishment and PIP2, ABE and SCAIDP counts per unit, with the paper's 20% PPU uplift
  (November 2021) and new RIT posts (January 2022) diluting the trained shares at first;
  **victim feedback** only from February 2022, when the paper's questionnaire went live.

Records dated in the period are written; later events (finalisation, grant, decision, breach,
enforcement) after the last day of the period are left out as if the extract were taken then,
except a missing person's found time, kept so every episode has its length.

Randomness: one ``random.Random`` per extract, seeded with ``"<seed>-<slug>"``, so the same
seed gives byte-identical files and changing one extract's rules leaves the others unchanged.
The default seed is 2022, the paper's year.

Run ``python -m vawg.demo.generator OUT_DIR`` to write the files.
"""

from __future__ import annotations

from vawg.demo.generator.build import DEFAULT_SEED, generate, main

__all__ = ["DEFAULT_SEED", "generate", "main"]
