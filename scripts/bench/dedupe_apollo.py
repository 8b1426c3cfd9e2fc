#!/usr/bin/env python3
"""A held-out Apollo-format people export with fuzzy duplicates, and its ground truth.

Nothing in the linkage model was tuned on it: it is made from its own seed, with its own name lists, at run
time. Each person has one row; about a sixth have a second row (a few a third) written as another export
would have them, with no key in common with the first (another e-mail, no LinkedIn URL, another Apollo id)
and one to three of: a nickname, a typo in the surname, first and last name swapped, a personal e-mail, a
changed title, no phone, no city. Among the people are the hard cases that are not duplicates: colleagues
who share a surname, namesakes at other companies, people who share a first name and an employer.

    dedupe_apollo.py OUT.csv TRUTH.csv [--people N] [--seed S]

TRUTH.csv maps each row's e-mail (unique) to its person.

    dedupe_apollo.py --score LEADS.jsonl TRUTH.csv

reads `leadgen leads export --format jsonl` after `dedupe merge` and prints the pairwise precision and
recall over duplicate pairs: two rows are paired by the system when they ended in one lead (found through
the lead's e-mails), by the truth when they are one person.
"""
import argparse
import csv
import random

FIRSTS = {
    "alexander": "alex", "andrew": "andy", "anthony": "tony", "barbara": "barb", "benjamin": "ben",
    "catherine": "cathy", "charles": "charlie", "christina": "tina", "christopher": "chris", "daniel": "dan",
    "deborah": "debbie", "donald": "don", "edward": "ed", "elizabeth": "beth", "frederick": "fred",
    "gregory": "greg", "jacqueline": "jackie", "james": "jim", "jennifer": "jenny", "jonathan": "jon",
    "joseph": "joe", "joshua": "josh", "katherine": "kate", "kenneth": "ken", "lawrence": "larry",
    "margaret": "peggy", "matthew": "matt", "michael": "mike", "nathaniel": "nate", "nicholas": "nick",
    "pamela": "pam", "patricia": "trish", "peter": "pete", "rebecca": "becky", "richard": "dick",
    "robert": "bob", "ronald": "ron", "samantha": "sam", "stephanie": "steph", "steven": "steve",
    "susan": "sue", "theodore": "ted", "thomas": "tom", "timothy": "tim", "victoria": "vicky",
    "william": "bill", "zachary": "zach", "abigail": "abby", "douglas": "doug", "jessica": "jess",
}
PLAIN_FIRSTS = ["aisha", "bjorn", "chen", "dmitri", "esther", "farah", "giulia", "hiro", "ingrid", "jamal",
                "kwame", "leila", "mateo", "noor", "olga", "priya", "quinn", "ravi", "sofia", "tariq", "uma",
                "vikram", "wen", "ximena", "yusuf", "zara", "amara", "bodhi", "carmen", "dario"]
# A long tail of surnames, the first few common (so namesakes and colleagues with one surname happen).
COMMON_LASTS = ["smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "martinez",
                "lee", "wilson", "taylor", "nguyen", "patel", "kim"]
RARE_LASTS = [
    "abernethy", "achterberg", "adeyemi", "aldana", "almeida", "ambrose", "arkwright", "ashdown", "babbage",
    "balogun", "barrientos", "beaumont", "bellweather", "bertolini", "blomqvist", "bouchard", "bramwell",
    "brightwater", "calloway", "castellanos", "chakraborty", "chowdhury", "cornwall", "dabrowski", "dalgleish",
    "delgado", "desjardins", "drummond", "eastwood", "ekwueme", "engstrom", "esterhazy", "fairweather",
    "ferreira", "fontaine", "forsythe", "gallowglass", "gebremariam", "giordano", "goldberg", "greenhalgh",
    "gunawardena", "hadley", "halloran", "harcourt", "hawthorne", "hendricks", "holmberg", "huxley",
    "ibrahimovic", "iglesias", "inverness", "jankowski", "jefferies", "joubert", "kapoor", "karlsson",
    "kensington", "kilpatrick", "kovalenko", "kuznetsova", "lachance", "langford", "lindgren", "llewellyn",
    "lombardi", "macintyre", "magnusson", "malhotra", "marchand", "mbeki", "mendelsohn", "moriarty",
    "mukherjee", "nakashima", "navarro", "nightingale", "nordstrom", "obradovic", "ogunleye", "oliveira",
    "ortega", "pacheco", "palmieri", "pendergast", "pettersen", "quarshie", "quigley", "radcliffe",
    "ramaswamy", "redgrave", "rosenthal", "saavedra", "sandoval", "schaefer", "sheridan", "sinclair",
    "stanhope", "sutherland", "takahashi", "tennant", "thorvaldsen", "trevelyan", "udoka", "urquhart",
    "valdivia", "vasquez", "wadsworth", "wakefield", "westergaard", "whitlock", "wolfenden", "yablonsky",
    "yoshida", "zabaleta", "zimmerman", "zukowski", "okafor", "lindqvist", "haverkamp", "dreyfus",
]
# Surnames made of two parts ("ash" + "worth"), so the export holds as many surnames as a real one.
PREFIXES = ["ash", "bel", "brad", "carr", "dal", "east", "fair", "gold", "hal", "hart", "kings", "lang", "mar",
            "new", "ox", "pem", "red", "rut", "shel", "stan", "thorn", "wad", "west", "whit", "win", "alder",
            "black", "bram", "cold", "dun", "elm", "fern", "glen", "hay", "ing", "lock", "mill", "nor", "pen",
            "rad", "sand", "tal", "wake", "wood", "bur", "crom", "dray", "hol"]
SUFFIXES = ["worth", "ford", "ton", "ley", "wood", "field", "bridge", "more", "well", "by", "dale", "hurst",
            "combe", "wick", "stead", "brook", "ham", "land", "mont", "shaw", "stone", "thwaite", "gate", "croft",
            "mere", "ridge", "bury", "cott", "den", "low"]
MADE_LASTS = sorted({p + s for p in PREFIXES for s in SUFFIXES})
TITLES = ["Chief Technology Officer", "VP of Sales", "Head of Growth", "Founder & CEO", "Software Engineer",
          "Marketing Manager", "Account Executive", "Director of Operations", "Product Manager",
          "Sales Development Representative", "Chief Financial Officer", "Head of People"]
CITIES = [("London", "England", "United Kingdom"), ("Berlin", "Berlin", "Germany"),
          ("Austin", "Texas", "United States"), ("Toronto", "Ontario", "Canada"),
          ("Sydney", "New South Wales", "Australia"), ("Paris", "Ile-de-France", "France"),
          ("Chicago", "Illinois", "United States"), ("Dublin", "Leinster", "Ireland")]
COMPANY_WORDS = ["Acme", "Northwind", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Tyrell", "Cyberdyne",
                 "Soylent", "Hooli", "Vandelay", "Prestige", "Massive", "Wonka", "Gringotts", "Oscorp", "Aperture",
                 "Monarch", "Virtucon"]
COMPANY_KINDS = ["Labs", "Systems", "Analytics", "Health", "Capital", "Robotics", "Logistics", "Media", "Foods",
                 "Energy"]
PERSONAL = ["gmail.example", "yahoo.example", "outlook.example", "proton.example"]
HEADER = ["First Name", "Last Name", "Title", "Company Name", "Email", "Email Status", "Seniority",
          "Mobile Phone", "Person Linkedin Url", "Website", "City", "State", "Country", "Apollo Contact Id"]


def typo(rng, word):
    """One keyboard slip: a transposition, a dropped or a doubled letter, or a substitution."""
    if len(word) < 4:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiourstnl") + word[i + 1:]


def surname(rng):
    roll = rng.random()
    if roll < 0.15:
        return rng.choice(COMMON_LASTS)
    return rng.choice(RARE_LASTS) if roll < 0.35 else rng.choice(MADE_LASTS)


def first_name(rng):
    return rng.choice(list(FIRSTS)) if rng.random() < 0.7 else rng.choice(PLAIN_FIRSTS)


def generate(people, seed):
    rng = random.Random(seed)
    companies = []
    for n in range(max(4, people // 6)):
        name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)}"
        domain = name.lower().replace(" ", "") + f"{n}.example"
        companies.append((name, domain, rng.choice(CITIES)))
    rows, truth, used = [], [], set()
    contact = 0

    def row(person, first, last, title, company, email, phone, linkedin, city):
        nonlocal contact
        contact += 1
        name, domain, _ = company
        assert email not in used
        used.add(email)
        rows.append([first.title(), last.title(), title, name, email, rng.choice(["Verified", "Extrapolated"]),
                     rng.choice(["c_suite", "vp", "director", "manager", "senior", "entry"]), phone, linkedin,
                     f"https://www.{domain}", city[0] if city else "", city[1] if city else "",
                     city[2] if city else "", f"{seed:x}{contact:08x}"])
        truth.append([email, person])

    person = 0
    while person < people:
        company = rng.choice(companies)
        first, last = first_name(rng), surname(rng)
        title = rng.choice(TITLES)
        phone = f"+1 415 {rng.randrange(200, 999)} {rng.randrange(10000):04d}" if rng.random() < 0.6 else ""
        linkedin = f"https://www.linkedin.com/in/{first}-{last}-{person}" if rng.random() < 0.5 else ""
        email = f"{first}.{last}@{company[1]}"
        if email in used:
            continue
        city = company[2]
        row(person, first, last, title, company, email, phone, linkedin, city)
        copies = 0 if rng.random() >= 1 / 6 else (2 if rng.random() < 0.1 else 1)
        for copy in range(copies):
            f, l, t, e, p, c = first, last, title, None, phone, city
            changes = rng.sample(["nickname", "typo", "swap", "personal", "title", "nophone", "nocity"],
                                 rng.randint(1, 3))
            if "nickname" in changes and first in FIRSTS:
                f = FIRSTS[first]
            if "typo" in changes:
                l = typo(rng, l)
            if "swap" in changes:
                f, l = l, f
            if "title" in changes:
                t = rng.choice([x for x in TITLES if x != title])
            if "nophone" in changes:
                p = ""
            if "nocity" in changes:
                c = None
            if "personal" in changes or rng.random() < 0.5:
                e = f"{f[:1]}{l}{copy + 1}{person % 97}@{rng.choice(PERSONAL)}"
            else:
                # Another address at work: first initial and surname, as many companies write them.
                e = f"{f[:1]}{l}{copy + 1}@{company[1]}"
            if p and "typo" not in changes and "swap" not in changes:
                # The same mobile and surname would be a key in common: another number.
                p = f"+1 415 {rng.randrange(200, 999)} {rng.randrange(10000):04d}"
            if e not in used:
                row(person, f, l, t, company, e, p, "", c)
        person += 1
        # Hard cases that are not duplicates.
        roll = rng.random()
        if roll < 0.04:
            # A colleague with the same surname (a sibling, a spouse).
            other = first_name(rng)
            if other != first and FIRSTS.get(other) != FIRSTS.get(first):
                e = f"{other}.{last}@{company[1]}"
                if e not in used:
                    row(person, other, last, rng.choice(TITLES), company, e, "", "", city)
                    person += 1
        elif roll < 0.08:
            # A namesake elsewhere.
            elsewhere = rng.choice(companies)
            e = f"{first}.{last}@{elsewhere[1]}"
            if elsewhere != company and e not in used:
                row(person, first, last, rng.choice(TITLES), elsewhere, e, "", "", elsewhere[2])
                person += 1
        elif roll < 0.12:
            # Someone with the same first name at the same company.
            other = surname(rng)
            e = f"{first}.{other}@{company[1]}"
            if other != last and e not in used:
                row(person, first, other, rng.choice(TITLES), company, e, "", "", city)
                person += 1
    return rows, truth


def pairs_of(groups):
    """Every unordered pair within each group."""
    pairs = set()
    for group in groups:
        members = sorted(group)
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pairs.add((a, b))
    return pairs


def score(leads_jsonl, truth_csv):
    """(precision, recall, found pairs, true pairs, rows unaccounted for) of a merged workspace."""
    import json
    with open(truth_csv, newline="") as f:
        person = {row["email"]: row["person"] for row in csv.DictReader(f)}
    by_person = {}
    for email, who in person.items():
        by_person.setdefault(who, []).append(email)
    found_groups, seen = [], set()
    with open(leads_jsonl) as f:
        for line in f:
            lead = json.loads(line)
            emails = [lead.get("email")] + list(lead.get("other_emails") or [])
            rows = {e for e in emails if e in person}
            seen |= rows
            found_groups.append(rows)
    found, true = pairs_of(found_groups), pairs_of(by_person.values())
    right = len(found & true)
    precision = right / len(found) if found else 1.0
    recall = right / len(true) if true else 1.0
    return precision, recall, len(found), len(true), len(set(person) - seen)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("truth")
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--score", action="store_true", help="score OUT (a JSONL export) against TRUTH")
    args = parser.parse_args()
    if args.score:
        precision, recall, found, true, missing = score(args.out, args.truth)
        print(f"precision {precision:.4f} recall {recall:.4f} (pairs found {found}, true {true}, "
              f"rows missing {missing})")
        return
    rows, truth = generate(args.people, args.seed)
    with open(args.out, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)
    with open(args.truth, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["email", "person"])
        writer.writerows(truth)


if __name__ == "__main__":
    main()
