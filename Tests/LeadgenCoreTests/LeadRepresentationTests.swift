import Foundation
import Testing

@testable import LeadgenCore

/// The API's lead object and the CSV export are derived from the field table: a field added to `LeadField`
/// or `CompanyField` and not to them is caught here.
@Suite struct LeadRepresentationTests {
    static func sampleLead() throws -> (Lead, Company) {
        var fields = LeadFields()
        for field in LeadField.stored { try field.set(LeadFieldTests.sample[field], in: &fields) }
        fields.customFields = ["plan": "pro"]
        var companyFields = CompanyFields()
        let companyText: [CompanyField: String] = [
            .name: "Analytical Engines", .domain: "analytical.example",
            .linkedinURL: "https://www.linkedin.com/company/analytical", .industry: "Computing",
            .employeeCount: "12", .annualRevenue: "1M", .phone: "+442079460001", .city: "London",
            .state: "England", .country: "GB", .apolloOrganizationID: "org1",
        ]
        for field in CompanyField.allCases { try field.set(companyText[field], in: &companyFields) }
        let time = Date(timeIntervalSince1970: 1_700_000_000)
        let company = Company(
            id: CompanyID(rawValue: "c1"), workspaceID: WorkspaceID(rawValue: "w1"), fields: companyFields,
            createdAt: time, updatedAt: time)
        let lead = Lead(
            id: LeadID(rawValue: "l1"), workspaceID: WorkspaceID(rawValue: "w1"), companyID: company.id,
            fields: fields, status: .new, createdAt: time, updatedAt: time)
        return (lead, company)
    }

    @Test func theAPIObjectHasEveryFieldByItsKey() throws {
        let (lead, company) = try Self.sampleLead()
        let data = try JSONEncoder.api.encode(LeadDTO(lead, company: company))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let expected = Set(LeadField.allCases.map(\.key) + ["id", "status", "custom_fields", "company"])
        #expect(Set(object.keys) == expected.union(["created_at", "updated_at"]))
        let companyObject = try #require(object["company"] as? [String: Any])
        #expect(Set(companyObject.keys) == Set(CompanyField.allCases.map(\.key) + ["id"]))
    }

    @Test func theCSVExportHasAColumnPerStoredFieldWithItsText() throws {
        let (lead, company) = try Self.sampleLead()
        let row = LeadCSVRow.fields(lead, company: company)
        #expect(row.count == LeadCSVRow.header.count)
        let byColumn = Dictionary(uniqueKeysWithValues: zip(LeadCSVRow.header, row))
        for field in LeadField.stored { #expect(byColumn[field.key] == LeadFieldTests.sample[field], "\(field.key)") }
        #expect(byColumn["company_employee_count"] == "12")
        #expect(byColumn["created_at"] == "2023-11-14T22:13:20Z")
    }
}
