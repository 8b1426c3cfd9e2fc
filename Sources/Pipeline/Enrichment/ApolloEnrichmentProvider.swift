import Foundation
import LeadgenCore
import Providers
import Storage

/// Apollo's `people/bulk_match` as a waterfall step: ten people per call, one credit each when found, and 8
/// more for a mobile number when phones are asked for (docs/reference/apollo.md §3a).
public struct ApolloEnrichmentProvider: EnrichmentProvider {
    public let name = "apollo"
    public let batchSize = ApolloClient.maxBulkSize
    public var maxCreditsPerPerson: Double { phoneWebhook == nil ? 1 : 9 }
    let client: ApolloClient
    /// Where Apollo delivers revealed mobile numbers; nil asks for none.
    let phoneWebhook: URL?

    public init(client: ApolloClient, phoneWebhook: URL? = nil) {
        self.client = client
        self.phoneWebhook = phoneWebhook
    }

    public func lookupKey(for lead: Lead, company: Company?) -> String? {
        let fields = lead.fields
        if let id = fields.apolloPersonID { return "id:\(id)" }
        if let email = fields.email { return "email:\(email.value)" }
        if let url = fields.linkedinURL { return "linkedin:\(url.value)" }
        if let last = fields.lastName, let domain = company?.fields.domain {
            return "name:\((fields.firstName ?? "").lowercased())|\(last.lowercased())|\(domain.value)"
        }
        return nil
    }

    public func enrich(_ subjects: [EnrichmentSubject]) async throws(EnrichmentCallError) -> EnrichmentAnswers {
        let details = subjects.map { Self.details($0.lead, $0.company) }
        let result: ApolloBulkMatch
        do {
            result = try await client.bulkMatch(details, phoneWebhook: phoneWebhook)
        } catch {
            throw Self.callError(error)
        }
        let encoder = JSONEncoder()
        let answers = result.matches.map { match -> String in
            guard let match, let data = try? encoder.encode(match) else { return "null" }
            return String(decoding: data, as: UTF8.self)
        }
        var phoneRequests: [PhoneRevealStore.Request] = []
        for (subject, (match, request)) in zip(subjects, zip(result.matches, result.phoneRequests)) {
            guard let match, let request else { continue }
            let (skipped, requestID, detail): (Bool, String?, String?) =
                switch request {
                case .pending(let requestID): (false, requestID, nil)
                case .skipped(let reason): (true, nil, reason)
                }
            phoneRequests.append(
                .init(
                    personID: match.id, leadID: subject.lead.id, skipped: skipped, requestID: requestID, detail: detail)
            )
        }
        return EnrichmentAnswers(answers: answers, credits: result.creditsConsumed, phoneRequests: phoneRequests)
    }

    public func leadInput(fromAnswer answer: String) throws -> LeadInput? {
        guard answer != "null" else { return nil }
        let person = try JSONDecoder().decode(ApolloPerson.self, from: Data(answer.utf8))
        return try person.leadInput()
    }

    /// Everything the lead has that Apollo matches on.
    static func details(_ lead: Lead, _ company: Company?) -> ApolloMatchDetails {
        let fields = lead.fields
        return ApolloMatchDetails(
            id: fields.apolloPersonID, email: fields.email?.value,
            linkedinURL: fields.linkedinURL?.value, firstName: fields.firstName,
            lastName: fields.lastName, organizationName: company?.fields.name, domain: company?.fields.domain?.value)
    }

    static func callError(_ error: ApolloError) -> EnrichmentCallError {
        switch error {
        case .rateLimited(_, let retryAfter):
            // Apollo's windows are a minute at the least; without a hint, wait for one to roll over.
            .transient(error.description, retryAfter: retryAfter ?? 60)
        // Apollo answered an error or could not be reached: it did not act, so asking again soon is safe.
        case .unavailable: .transient(error.description, retryAfter: 5)
        case .timedOut: .outcomeUnknown(error.description)
        case .unauthorized, .forbidden: .rejected(error.description, fatal: true)
        case .invalidRequest: .rejected(error.description, fatal: false)
        }
    }
}
