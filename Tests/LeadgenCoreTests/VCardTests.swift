import Foundation
import Testing

@testable import LeadgenCore

/// vCards out (RFC 6350 4.0: escaped, folded, CRLF) and in (4.0, 3.0 and 2.1 as address books write them).
@Suite struct VCardTests {
    static func lead() throws -> LeadDTO {
        var fields = LeadFields()
        try LeadField.firstName.set("Zoë", in: &fields)
        try LeadField.lastName.set("Müller-Smith", in: &fields)
        try LeadField.title.set("VP Sales, EMEA; Partnerships", in: &fields)
        try LeadField.country.set("Germany", in: &fields)
        try LeadField.email.set("Zoe@Acme.example", in: &fields)
        try LeadField.otherEmails.set(items: ["zoe@home.example"], in: &fields)
        try LeadField.phones.set(items: ["+49 30 901820", "030 1234 5678"], in: &fields)
        try LeadField.linkedinURL.set("de.linkedin.com/in/zoe-mueller/", in: &fields)
        try LeadField.city.set("Berlin", in: &fields)
        try LeadField.tags.set(items: ["expo", "a,b"], in: &fields)
        try LeadField.timeZone.set("Europe/Berlin", in: &fields)
        let date = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        let lead = Lead(
            id: LeadID(rawValue: "01936F2A-0000-7000-8000-000000000001"), workspaceID: WorkspaceID(rawValue: "w"),
            fields: fields, status: .new,
            createdAt: date, updatedAt: date)
        var company = CompanyFields()
        company.name = "Acme GmbH"
        company.domain = try Domain(parsing: "acme.example")
        return LeadDTO(
            lead,
            company: Company(
                id: CompanyID(rawValue: "c1"), workspaceID: WorkspaceID(rawValue: "w"), fields: company,
                createdAt: date, updatedAt: date))
    }

    @Test func aLeadIsWrittenAsAVCard4() throws {
        let card = VCardWriter.card(for: try Self.lead())
        #expect(card.hasSuffix("END:VCARD\r\n"))
        #expect(!card.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends in CRLF")
        let lines = card.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n")
        #expect(
            lines == [
                "BEGIN:VCARD", "VERSION:4.0", "PRODID:-//Leadgen//Leadgen//EN",
                "UID:urn:uuid:01936f2a-0000-7000-8000-000000000001", "FN:Zoë Müller-Smith", "N:Müller-Smith;Zoë;;;",
                "ORG:Acme GmbH", "TITLE:VP Sales\\, EMEA\\; Partnerships", "EMAIL;TYPE=work;PREF=1:zoe@acme.example",
                "EMAIL:zoe@home.example", "TEL;VALUE=uri:tel:+4930901820", "TEL;VALUE=uri:tel:+493012345678",
                "ADR;TYPE=work:;;;Berlin;;;Germany",
                "X-SOCIALPROFILE;TYPE=linkedin:https://www.linkedin.com/in/zoe-mueller",
                "URL;TYPE=work:https://acme.example", "CATEGORIES:expo,a\\,b", "TZ:Europe/Berlin",
                "REV:20260101T000000Z",
                "END:VCARD", "",
            ])
    }

    @Test func longLinesFoldAt75OctetsAndNeverInsideACharacter() {
        let line = "NOTE:" + String(repeating: "ü€a", count: 60)
        let folded = VCardWriter.fold(line)
        let pieces = folded.components(separatedBy: "\r\n")
        #expect(pieces.count > 2)
        #expect(pieces.allSatisfy { $0.utf8.count <= 75 })
        #expect(pieces.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line)
    }

    @Test func aWrittenCardReadsBackAsTheSameLead() throws {
        let written = VCardWriter.card(for: try Self.lead())
        let cards = VCardReader.cards(in: written)
        #expect(cards.count == 1)
        let input = try VCardReader.input(try #require(cards.first)).get()
        let f = input.fields
        #expect(f.firstName == "Zoë" && f.lastName == "Müller-Smith")
        #expect(f.title == "VP Sales, EMEA; Partnerships")
        #expect(f.email?.value == "zoe@acme.example" && f.otherEmails.map(\.value) == ["zoe@home.example"])
        #expect(f.phones.compactMap(\.e164) == ["+4930901820", "+493012345678"])
        #expect(f.linkedinURL?.value == "https://www.linkedin.com/in/zoe-mueller")
        #expect(f.city == "Berlin" && f.country?.code == "DE")
        #expect(f.tags == ["expo", "a,b"])
        #expect(input.company?.name == "Acme GmbH" && input.company?.domain?.value == "acme.example")
    }

    @Test func olderFormsGroupsFoldingAndRejectsByLine() throws {
        let text = """
            Some text before the cards.\r
            BEGIN:VCARD\r
            VERSION:2.1\r
            N;CHARSET=UTF-8:Novak;Lena;;;\r
            FN:Lena Novak\r
            ORG:Northwind;Sales\r
            item1.EMAIL;TYPE=INTERNET:lena@northwind.example\r
            TEL;CELL:+1 (512) 555-0199\r
            TITLE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Gesch=C3=A4ftsf=C3=BChrerin\r
            URL:https://www.linkedin.com/in/lena-
             novak\r
            this line is not a property\r
            END:VCARD\r
            BEGIN:VCARD\r
            VERSION:3.0\r
            FN:Nobody Known\r
            NOTE:no way to tell this person apart\r
            END:VCARD\r
            BEGIN:VCARD\r
            VERSION:4.0\r
            FN:Kai\r
            EMAIL:not-an-address\r
            END:VCARD\r
            BEGIN:VCARD\r
            VERSION:4.0\r
            EMAIL:open@card.example\r

            """
        let cards = VCardReader.cards(in: text)
        #expect(cards.map(\.line) == [2, 14, 19, 24])
        let lena = try VCardReader.input(cards[0]).get()
        #expect(lena.fields.firstName == "Lena" && lena.fields.lastName == "Novak")
        #expect(lena.fields.email?.value == "lena@northwind.example")
        #expect(lena.fields.title == "Geschäftsführerin")
        #expect(lena.fields.linkedinURL?.value == "https://www.linkedin.com/in/lena-novak")
        #expect(lena.fields.phones.first?.e164 == "+15125550199")
        #expect(lena.company?.name == "Northwind")
        guard case .failure(let nobody) = VCardReader.input(cards[1]) else {
            Issue.record("a card that names nobody is rejected")
            return
        }
        #expect(nobody.line == 14 && nobody.reason.contains("names nobody"))
        guard case .failure(let kai) = VCardReader.input(cards[2]) else {
            Issue.record("a card with an unreadable address is rejected")
            return
        }
        #expect(kai.line == 19 && kai.reason.hasPrefix("Email:"))
        #expect((try? VCardReader.input(cards[3]).get())?.fields.email?.value == "open@card.example")
    }

    @Test func hostileTextIsBounded() {
        #expect(VCardReader.cards(in: "").isEmpty)
        #expect(VCardReader.cards(in: String(repeating: ":", count: 10_000)).isEmpty)
        let long = "BEGIN:VCARD\nNOTE:" + String(repeating: "x", count: 2_000_000) + "\nEND:VCARD\n"
        let cards = VCardReader.cards(in: long)
        #expect(cards.count == 1)
        #expect((cards.first?.first("NOTE")?.utf8.count ?? 0) < VCardReader.maxLineBytes)
        #expect(VCardReader.components("a\\;b;c\\") == ["a;b", "c"])
    }
}
