import Foundation
import Testing

@testable import LeadgenCore

@Suite struct LeadRowMapperTests {
    static let apolloHeader =
        "First Name,Last Name,Title,Company Name,Email,Email Status,Seniority,Departments,Mobile Phone,Corporate Phone,# Employees,Industry,Person Linkedin Url,Website,Company Linkedin Url,City,State,Country,Annual Revenue,Apollo Contact Id,Apollo Account  Id,Lists"
        .split(separator: ",").map(String.init)

    func map(_ header: [String], _ row: [String], mapping: ImportMapping = ImportMapping()) -> Result<
        LeadInput, RowRejection
    > {
        LeadRowMapper(header: header, mapping: mapping).map(CSVRecord(fields: row, line: 7))
    }

    @Test func readsAnApolloExportRow() throws {
        let row = [
            "JANE", "o'brien", "VP of Sales", "Acme Inc", "Jane.OBrien@Acme.com", "Verified", "Vp", "Sales, Marketing",
            "'+1 415-555-0123", "(415) 555-0100", "1,200", "Software", "http://www.linkedin.com/in/JaneOBrien",
            "http://www.acme.com", "linkedin.com/company/acme/", "San Francisco", "California", "United States",
            "12.5M", "c-1", "a-1", "Q3 Targets, West",
        ]
        let input = try map(Self.apolloHeader, row).get()
        #expect(input.fields.firstName == "Jane")
        #expect(input.fields.lastName == "O'Brien")
        #expect(input.fields.email?.value == "jane.obrien@acme.com")
        #expect(input.fields.emailStatus == .verified)
        #expect(input.fields.seniority == .vp)
        #expect(input.fields.departments == ["Sales", "Marketing"])
        #expect(input.fields.phones.map(\.e164) == ["+14155550123", "+14155550100"])
        #expect(input.fields.phones.map(\.kind) == [.mobile, .corporate])
        #expect(input.fields.linkedinURL?.value == "https://www.linkedin.com/in/janeobrien")
        #expect(input.fields.country?.code == "US")
        #expect(input.fields.tags == ["Q3 Targets", "West"])
        #expect(input.fields.apolloContactID == "c-1")
        #expect(input.company?.name == "Acme Inc")
        #expect(input.company?.domain?.value == "acme.com")
        #expect(input.company?.linkedinURL?.value == "https://www.linkedin.com/company/acme")
        #expect(input.company?.employeeCount == 1200)
        #expect(input.company?.annualRevenue == 12_500_000)
        #expect(input.company?.apolloOrganizationID == "a-1")
    }

    @Test func readsTheOlderCompanyHeaderAndGenericHeaders() throws {
        let input = try map(
            ["E-mail", "Name", "Company", "Phone"], ["x@y.com", "jane doe", "Acme", "020 7946 0958"],
            mapping: ImportMapping(defaultCountry: "GB")
        ).get()
        #expect(input.fields.firstName == "Jane")
        #expect(input.fields.lastName == "Doe")
        #expect(input.company?.name == "Acme")
        #expect(input.fields.phones.first?.e164 == "+442079460958")
    }

    @Test func explicitMappingWinsOverRecognizedHeaders() throws {
        let mapping = ImportMapping(
            columns: ["Org": .companyName, "Email": .ignore, "Contact": .email], tags: ["fair"])
        let input = try map(["Org", "Email", "Contact"], ["Acme", "ignored@x.com", "real@acme.com"], mapping: mapping)
            .get()
        #expect(input.fields.email?.value == "real@acme.com")
        #expect(input.company?.name == "Acme")
        #expect(input.fields.tags == ["fair"])
    }

    @Test func unknownColumnsAndUnreadableValuesAreKeptAsCustomFields() throws {
        let input = try map(
            ["Email", "Country", "Favourite Colour", "# Employees"], ["a@b.co", "Atlantis", "teal", "51-200"]
        ).get()
        #expect(input.fields.country == nil)
        #expect(
            input.fields.customFields == ["Country": "Atlantis", "Favourite Colour": "teal", "# Employees": "51-200"])
    }

    @Test func unparseablePhonesKeepTheirRawText() throws {
        let input = try map(["Email", "Phone"], ["a@b.co", "call reception"]).get()
        #expect(input.fields.phones == [LeadPhone(kind: .other, e164: nil, raw: "call reception")])
    }

    @Test func apolloLockedEmailPlaceholderMeansNoEmail() throws {
        let input = try map(["Email", "Person Linkedin Url"], ["email_not_unlocked@domain.com", "linkedin.com/in/x"])
            .get()
        #expect(input.fields.email == nil)
    }

    @Test func phoneNumbersUseTheLeadsCountry() throws {
        let input = try map(["Email", "Mobile Phone", "Country"], ["a@b.de", "0151 23456789", "Germany"]).get()
        #expect(input.fields.phones.first?.e164 == "+4915123456789")
    }

    @Test func rejectsAnInvalidEmailNamingTheField() {
        let result = map(["Email", "First Name"], ["jane(at)acme.com", "Jane"])
        #expect(result == .failure(RowRejection(line: 7, reason: "email: e-mail has no single @ ('jane(at)acme.com')")))
    }

    @Test func rejectsRowsThatIdentifyNobody() {
        guard case .failure(let rejection) = map(["First Name", "Title"], ["Jane", "CEO"]) else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejection.line == 7)
        #expect(rejection.reason.hasPrefix("row does not identify a person"))
    }

    @Test func rejectsRowsWithMoreFieldsThanTheHeader() {
        let result = map(["Email"], ["a@b.co", "extra"])
        #expect(result == .failure(RowRejection(line: 7, reason: "row has 2 fields but the header has 1")))
    }

    @Test func toleratesShortRows() throws {
        let input = try map(["Email", "First Name", "Last Name"], ["a@b.co"]).get()
        #expect(input.fields.email?.value == "a@b.co")
    }

    @Test func reportsMalformedCSV() {
        let record = CSVRecord(fields: ["x"], line: 12, problem: .unterminatedQuote(field: 3))
        let result = LeadRowMapper(header: ["Email"]).map(record)
        #expect(result == .failure(RowRejection(line: 12, reason: "field 3 opens a quote that is never closed")))
    }

    @Test func mappingFileErrorsAreClear() throws {
        #expect(throws: ImportMappingError.self) { try ImportMapping.decode(json: Data("{".utf8)) }
        #expect(throws: ImportMappingError.self) {
            try ImportMapping.decode(json: Data(#"{"columns":{"X":"not_a_field"}}"#.utf8))
        }
        #expect(try ImportMapping.decode(json: Data(#"{"columns":{"X":"email"}}"#.utf8)).columns == ["X": .email])
    }
}
