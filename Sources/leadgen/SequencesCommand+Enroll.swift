import App
import ArgumentParser
import Foundation
import LeadgenCore
import Outreach
import Pipeline
import Storage

extension SequencesCommand {
    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Enrols leads by id, tag or filter; those the sequence cannot or may not reach are listed with why.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The sequence's id.") var id: String
        @Option(name: .customLong("lead"), help: "A lead's id (repeat for several).") var leads: [String] = []
        @Option(help: "Every lead with this tag.") var tag: String?
        @Option(help: "Every lead with this status (with the other filters).") var status: String?
        @Option(help: "Every lead in this country (name or ISO code).") var country: String?
        @Option(help: "Every lead of the company with this domain.") var companyDomain: String?

        var hasFilter: Bool { tag != nil || status != nil || country != nil || companyDomain != nil }

        func validate() throws {
            if leads.isEmpty == !hasFilter {
                throw ValidationError(
                    "give --lead, or filters (--tag, --status, --country, --company-domain), not both")
            }
            if let status, LeadStatus(rawValue: status) == nil {
                throw ValidationError(
                    "--status: expected one of \(LeadStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let country, Country(country) == nil {
                throw ValidationError("--country: '\(country)' is not an ISO 3166 country name or code")
            }
            if let companyDomain, (try? Domain(parsing: companyDomain)) == nil {
                throw ValidationError("--company-domain: '\(companyDomain)' is not a domain")
            }
        }

        func run() async throws {
            try await Runtime.withRoot(options, workspace) { root, workspace in
                guard let sequence = try await root.stores.sequences.get(id, in: workspace.id) else {
                    throw CommandFailure("no sequence \(id) in workspace \(workspace.slug)")
                }
                let service = root.enrollment
                var enrolled = 0
                var skipped: [EnrollmentService.Skipped] = []
                var missing: [String] = []
                if hasFilter {
                    // Page by page, so a tag or a filter of any size is enrolled whole.
                    var query = LeadQuery()
                    query.tag = tag
                    query.status = status.flatMap(LeadStatus.init(rawValue:))
                    query.country = country.flatMap { Country($0) }
                    query.companyDomain = companyDomain.flatMap { try? Domain(parsing: $0) }
                    query.limit = 1000
                    while true {
                        let page = try await root.stores.leads.list(query, in: workspace.id)
                        let outcome = try await service.enroll(page.leads, in: sequence)
                        enrolled += outcome.enrolled.count
                        skipped += outcome.skipped
                        guard let next = page.nextCursor else { break }
                        query.cursor = next
                    }
                } else {
                    let found = try await root.stores.leads.get(leads.map { LeadID(rawValue: $0) }, in: workspace.id)
                    let known = Set(found.map(\.id.rawValue))
                    missing = leads.filter { !known.contains($0) }
                    let outcome = try await service.enroll(found, in: sequence)
                    enrolled = outcome.enrolled.count
                    skipped = outcome.skipped
                }
                print("enrolled: \(enrolled), left out: \(skipped.count + missing.count)")
                for skipped in skipped.prefix(1000) { print("  \(skipped.leadID.rawValue): \(skipped.reason)") }
                for id in missing { print("  \(id): not_found") }
            }
        }
    }
}
