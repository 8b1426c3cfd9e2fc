#!/usr/bin/env python3
"""Writes a synthetic Apollo.io people export: the export's header, realistic values, a share of
duplicate people written in other surface forms, and optionally a few malformed rows.

    scripts/bench/apollo_csv.py --rows 100000 --duplicates 0.1 --out people.csv
    scripts/bench/apollo_csv.py --rows 300 --bad-rows --out database/seeds/apollo-export.csv

Every name, company and address is made up; e-mail domains are reserved or fictional.
"""
import argparse
import csv
import random
import sys
import unicodedata
import zlib

HEADER = (
    "First Name,Last Name,Title,Company Name,Company Name for Emails,Email,Email Status,Primary Email Source,"
    "Primary Email Verification Source,Email Confidence,Primary Email Catch-all Status,Primary Email Last Verified At,"
    "Seniority,Departments,Sub Departments,Contact Owner,Work Direct Phone,Home Phone,Mobile Phone,Corporate Phone,"
    "Other Phone,Do Not Call,Stage,Lists,Last Contacted,Account Owner,# Employees,Industry,Keywords,"
    "Person Linkedin Url,Website,Company Linkedin Url,Facebook Url,Twitter Url,Address,City,State,Country,"
    "Company Address,Company City,Company State,Company Country,Company Phone,Technologies,Annual Revenue,"
    "Total Funding,Latest Funding,Latest Funding Amount,Last Raised At,Parent company (Apollo data),"
    "Parent company (Apollo data - Organization ID),Email Sent,Email Open,Email Bounced,Replied,Demoed,"
    "Number of Retail Locations,SIC Codes,NAICS Codes,Apollo Contact Id,Apollo Account Id,Apollo Record Id,"
    "Secondary Email,Secondary Email Source,Secondary Email Status,Secondary Email Verification Source,"
    "Tertiary Email,Tertiary Email Source,Tertiary Email Status,Tertiary Email Verification Source,"
    "Primary Intent Topic,Primary Intent Score,Secondary Intent Topic,Secondary Intent Score,Qualify Contact"
).split(",")
COL = {name: i for i, name in enumerate(HEADER)}

FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
         "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
         "Sean", "Aoife", "Liam", "Chloé", "Jean-Pierre", "Zoë", "Mateo", "Lucía", "Hiroshi", "Priya"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "McDonald", "O'Brien", "van der Berg", "MacLeod", "Nguyen", "Schmidt", "Dubois", "Rossi", "Kowalski", "Tanaka"]
TITLES = [("VP of Sales", "Vp"), ("Chief Executive Officer", "C suite"), ("Head of Growth", "Head"),
          ("Director of Marketing", "Director"), ("Sales Manager", "Manager"), ("Senior Account Executive", "Senior"),
          ("Founder", "Founder"), ("Software Engineer", "Entry"), ("Partner", "Partner"), ("Marketing Intern", "Intern")]
DEPARTMENTS = ["Sales", "Marketing", "C-Suite", "Engineering & Technical", "Operations", "Finance"]
INDUSTRIES = ["information technology & services", "computer software", "marketing & advertising",
              "financial services", "hospital & health care", "logistics & supply chain"]
PLACES = [("San Francisco", "California", "United States", "US"), ("New York", "New York", "United States", "US"),
          ("Austin", "Texas", "United States", "US"), ("Toronto", "Ontario", "Canada", "CA"),
          ("London", "England", "United Kingdom", "GB"), ("Berlin", "Berlin", "Germany", "DE"),
          ("Paris", "Île-de-France", "France", "FR"), ("Amsterdam", "North Holland", "Netherlands", "NL")]
SUFFIXES = ["Labs", "Systems", "Analytics", "Cloud", "Works", "Dynamics", "Networks", "Health", "Logistics", "Media"]
STEMS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell", "Cyberdyne",
         "Soylent", "Wonka", "Gringotts", "Oscorp", "Aperture", "Massive", "Pied Piper", "Bluth", "Dunder", "Prestige"]


def phone(country, rng):
    if country in ("US", "CA"):
        return f"+1 {rng.randint(201, 989)}-{rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"
    if country == "GB":
        return f"+44 20 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
    if country == "DE":
        return f"+49 30 {rng.randint(1000000, 9999999)}"
    if country == "FR":
        return f"+33 1 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    return f"+31 20 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"


def national(number, country):
    """The same number as people write it at home: (415) 555-0100, 020 7946 0958, 030 1234567."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if country in ("US", "CA"):
        d = digits[1:]
        return f"({d[:3]}) {d[3:6]}-{d[6:]}"
    if country == "GB":
        return "0" + digits[2:4] + " " + digits[4:8] + " " + digits[8:]
    if country == "DE":
        return "0" + digits[2:4] + " " + digits[4:]
    if country == "FR":
        d = "0" + digits[2:]
        return ".".join(d[i:i + 2] for i in range(0, 10, 2))
    return number


def company(rng, n):
    stem = STEMS[n % len(STEMS)]
    suffix = SUFFIXES[(n // len(STEMS)) % len(SUFFIXES)]
    number = n // (len(STEMS) * len(SUFFIXES))
    name = f"{stem} {suffix}" + (f" {number}" if number else "")
    domain = (stem + suffix).lower().replace(" ", "") + (str(number) if number else "") + ".example"
    return {"name": name, "domain": domain, "place": PLACES[rng.randrange(len(PLACES))],
            "employees": str(rng.choice([12, 48, 180, 950, 4200])), "industry": rng.choice(INDUSTRIES),
            "revenue": rng.choice(["1200000", "12.5M", "$250,000,000", ""])}


def person(rng, n, companies):
    first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
    title, seniority = TITLES[rng.randrange(len(TITLES))]
    city, state, country_name, country = PLACES[rng.randrange(len(PLACES))]
    org = companies[rng.randrange(len(companies))]
    cname, domain = org["name"], org["domain"]
    ascii_name = unicodedata.normalize("NFKD", f"{first}-{last}").encode("ascii", "ignore").decode()
    slug = f"{ascii_name}-{n:x}".lower().replace(" ", "").replace("'", "")
    row = [""] * len(HEADER)
    row[COL["First Name"]] = first
    row[COL["Last Name"]] = last
    row[COL["Title"]] = title
    row[COL["Company Name"]] = cname
    row[COL["Company Name for Emails"]] = cname.split(" ")[0]
    row[COL["Email"]] = f"{slug}@{domain}"
    row[COL["Email Status"]] = rng.choice(["Verified", "Verified", "Unverified", "Extrapolated"])
    row[COL["Seniority"]] = seniority
    row[COL["Departments"]] = ", ".join(rng.sample(DEPARTMENTS, 2))
    row[COL["Contact Owner"]] = "owner@leadgen.example"
    row[COL["Mobile Phone"]] = phone(country, rng) if rng.random() < 0.6 else ""
    row[COL["Corporate Phone"]] = phone(country, rng)
    row[COL["Stage"]] = "Cold"
    row[COL["Lists"]] = rng.choice(["Q3 Targets", "Conference 2026", "Q3 Targets, West", ""])
    row[COL["# Employees"]] = org["employees"]
    row[COL["Industry"]] = org["industry"]
    row[COL["Person Linkedin Url"]] = f"http://www.linkedin.com/in/{slug}"
    row[COL["Website"]] = f"http://www.{domain}"
    row[COL["Company Linkedin Url"]] = f"http://www.linkedin.com/company/{domain.split('.')[0]}"
    row[COL["City"]], row[COL["State"]], row[COL["Country"]] = city, state, country_name
    row[COL["Company City"]], row[COL["Company State"]], row[COL["Company Country"]] = org["place"][:3]
    row[COL["Annual Revenue"]] = org["revenue"]
    row[COL["Email Sent"]] = "false"
    row[COL["Apollo Contact Id"]] = f"{n:024x}"
    row[COL["Apollo Account Id"]] = f"{zlib.crc32(domain.encode()):024x}"
    return row, country


def variant(row, country, rng):
    """The same person as another export or a colleague would write them."""
    v = list(row)
    v[COL["Apollo Contact Id"]] = ""
    kind = rng.randrange(4)
    if kind == 0:
        v[COL["Email"]] = "  " + v[COL["Email"]].upper() + " "
        v[COL["First Name"]] = v[COL["First Name"]].upper()
        v[COL["Last Name"]] = v[COL["Last Name"]].upper()
    elif kind == 1:
        v[COL["Email"]] = ""
        slug = v[COL["Person Linkedin Url"]].rsplit("/", 1)[1]
        v[COL["Person Linkedin Url"]] = f"https://uk.linkedin.com/in/{slug.upper()}/?trk=export"
        v[COL["Website"]] = "https://" + v[COL["Website"]].split("www.")[1].upper() + "/about"
    elif kind == 2:
        v[COL["Email"]] = v[COL["Email"]].title()
        v[COL["Corporate Phone"]] = "'" + national(v[COL["Corporate Phone"]], country)
        v[COL["Country"]] = {"US": "USA", "GB": "UK", "DE": "Deutschland", "FR": "france"}.get(country, v[COL["Country"]])
    else:
        v[COL["Email"]] = ""
        v[COL["Person Linkedin Url"]] = v[COL["Person Linkedin Url"]].replace("http://www.", "") + "/"
        v[COL["Title"]] = v[COL["Title"]].upper()
    return v


BAD_ROWS = [
    ("invalid e-mail", lambda r: r.__setitem__(COL["Email"], "jane(at)example.com")),
    ("no identity", lambda r: [r.__setitem__(COL[c], "") for c in
                               ("Email", "Person Linkedin Url", "Apollo Contact Id", "Company Name",
                                "Company Name for Emails", "Website", "Mobile Phone", "Corporate Phone",
                                "Apollo Account Id", "Company Linkedin Url")]),
    ("too many fields", lambda r: r.append("stray value")),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--duplicates", type=float, default=0.1, help="share of rows that repeat a person")
    parser.add_argument("--bad-rows", action="store_true", help="add malformed rows")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", default="-")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    companies = [company(rng, n) for n in range(max(10, args.rows // 20))]
    out = sys.stdout if args.out == "-" else open(args.out, "w", newline="", encoding="utf-8")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    unique = int(args.rows * (1 - args.duplicates))
    people = []
    written = 0
    bad_every = max(1, args.rows // 6) if args.bad_rows else 0
    while written < args.rows:
        if bad_every and written % bad_every == bad_every - 1:
            bad, _ = person(rng, len(people) + 1_000_000, companies)
            BAD_ROWS[(written // bad_every) % len(BAD_ROWS)][1](bad)
            writer.writerow(bad)
        elif people and (len(people) >= unique or rng.random() < args.duplicates):
            row, country = people[rng.randrange(len(people))]
            writer.writerow(variant(row, country, rng))
        else:
            row, country = person(rng, len(people), companies)
            people.append((row, country))
            writer.writerow(row)
        written += 1
    if args.bad_rows:
        # A quote closed too early, as hand-edited files have.
        out.write('"Broken" Row,Smith,CEO,,,broken@example.com' + "," * (len(HEADER) - 6) + "\r\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
