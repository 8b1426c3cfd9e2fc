import Crypto
import Foundation
import LeadgenCore

/// Calls HubSpot's CRM API (docs/reference/hubspot.md) over the shared provider transport.
///
/// Writes go through batch upsert by a unique property and batch update by record id, which HubSpot applies
/// idempotently, so a call whose outcome is unknown (a timeout, a 5xx) may be sent again without creating a
/// second record. Batch create is used nowhere for that reason.
public struct HubSpotClient: Sendable {
    public static let defaultBaseURL = URL(string: "https://api.hubapi.com")!
    /// Inputs per batch call.
    public static let maxBatchSize = 100
    /// The contact→company association type (HUBSPOT_DEFINED).
    public static let contactToCompanyType = 279

    let transport: ProviderTransport
    let endpoint: ProviderEndpoint

    public init(transport: ProviderTransport, endpoint: ProviderEndpoint) {
        self.transport = transport
        self.endpoint = endpoint
    }

    /// A private app's token as a Bearer header, and the quota headers read into the limiter. The default
    /// limiter keeps under the Free/Starter limit of 100 calls per ten seconds.
    public static func endpoint(
        accessToken: String, baseURL: URL = defaultBaseURL, timeout: Duration = .seconds(30),
        limiter: RateLimiter? = RateLimiter(capacity: 10, perSecond: 9)
    ) -> ProviderEndpoint {
        ProviderEndpoint(
            provider: "hubspot", baseURL: baseURL,
            headers: [("Authorization", "Bearer \(accessToken)"), ("Accept", "application/json")], timeout: timeout,
            maxAttempts: 5, limiter: limiter, quota: HubSpotRateLimitHeaders.quota)
    }

    /// Creates or updates up to 100 records keyed by a unique property (`email` for contacts).
    public func upsert(_ objectType: String, idProperty: String, _ inputs: [HubSpotInput]) async throws(HubSpotError)
        -> HubSpotBatchResult
    {
        try checkSize(inputs.count)
        guard !inputs.isEmpty else { return HubSpotBatchResult() }
        struct Input: Encodable {
            var id: String
            var idProperty: String
            var properties: [String: String]
        }
        struct Body: Encodable { var inputs: [Input] }
        return try await call(
            .post, "/crm/v3/objects/\(objectType)/batch/upsert",
            body: Body(inputs: inputs.map { Input(id: $0.id, idProperty: idProperty, properties: $0.properties) }),
            isIdempotent: true)
    }

    /// Updates up to 100 records by their HubSpot ids.
    public func update(_ objectType: String, _ inputs: [HubSpotInput]) async throws(HubSpotError) -> HubSpotBatchResult
    {
        try checkSize(inputs.count)
        guard !inputs.isEmpty else { return HubSpotBatchResult() }
        struct Input: Encodable {
            var id: String
            var properties: [String: String]
        }
        struct Body: Encodable { var inputs: [Input] }
        return try await call(
            .post, "/crm/v3/objects/\(objectType)/batch/update",
            body: Body(inputs: inputs.map { Input(id: $0.id, properties: $0.properties) }), isIdempotent: true)
    }

    /// A digest of the credential and the API's address: equal for two clients that reach the same account,
    /// so what was learned about the account (its portal id) is learned again only when they change.
    public var credentialFingerprint: String {
        let text = ([endpoint.baseURL.absoluteString] + endpoint.headers.map { "\($0.name): \($0.value)" })
            .joined(separator: "\n")
        return SHA256.hash(data: Data(text.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// The account (portal) the token belongs to: `GET /account-info/v3/details`, which answers the portal id
    /// (the "Hub ID") with its time zone and currencies (docs/reference/hubspot.md §1).
    public func accountDetails() async throws(HubSpotError) -> HubSpotAccountDetails {
        try await call(.get, "/account-info/v3/details", body: nil as String?, isIdempotent: true)
    }

    /// Creates one contact; a contact with the e-mail already there is a `.conflict` naming its id.
    public func createContact(_ properties: [String: String]) async throws(HubSpotError) -> HubSpotObject {
        struct Body: Encodable { var properties: [String: String] }
        return try await call(
            .post, "/crm/v3/objects/contacts", body: Body(properties: properties), isIdempotent: false)
    }

    /// Reads one record by id, or by a unique property (`idProperty: "email"`); nil when there is none.
    public func read(_ objectType: String, id: String, idProperty: String? = nil, properties: [String] = [])
        async throws(HubSpotError) -> HubSpotObject?
    {
        var query: [(String, String)] = []
        if let idProperty { query.append(("idProperty", idProperty)) }
        if !properties.isEmpty { query.append(("properties", properties.joined(separator: ","))) }
        do {
            let object: HubSpotObject = try await call(
                .get, "/crm/v3/objects/\(objectType)/\(id)", query: query, body: nil as String?, isIdempotent: true)
            return object
        } catch .rejected(404, _, _) {
            return nil
        }
    }

    /// Creates a property unless one of that name exists (409 is success here).
    public func ensureProperty(_ objectType: String, _ definition: HubSpotPropertyDefinition) async throws(HubSpotError)
    {
        do {
            let _: IgnoredBody = try await call(
                .post, "/crm/v3/properties/\(objectType)", body: definition, isIdempotent: true)
        } catch .conflict {
            return
        }
    }

    /// Associates contacts with companies (v4, contact→company type 279), up to 100 pairs per call; an
    /// association that exists already is left as it is.
    public func associateContactsWithCompanies(_ pairs: [(contactID: String, companyID: String)])
        async throws(HubSpotError) -> HubSpotBatchResult
    {
        try checkSize(pairs.count)
        guard !pairs.isEmpty else { return HubSpotBatchResult() }
        struct Ref: Encodable { var id: String }
        struct AssociationType: Encodable {
            var associationCategory = "HUBSPOT_DEFINED"
            var associationTypeId = HubSpotClient.contactToCompanyType
        }
        struct Input: Encodable {
            var from: Ref
            var to: Ref
            var types = [AssociationType()]
        }
        struct Body: Encodable { var inputs: [Input] }
        struct Answer: Decodable {
            var errors: [HubSpotBatchError]?
        }
        let answer: Answer = try await call(
            .post, "/crm/v4/associations/contacts/companies/batch/create",
            body: Body(inputs: pairs.map { Input(from: Ref(id: $0.contactID), to: Ref(id: $0.companyID)) }),
            isIdempotent: true)
        return HubSpotBatchResult(errors: answer.errors ?? [])
    }

    private func checkSize(_ count: Int) throws(HubSpotError) {
        guard count <= Self.maxBatchSize else {
            throw .rejected(
                status: 400, category: "VALIDATION_ERROR", message: "at most 100 inputs per batch, got \(count)")
        }
    }

    struct IgnoredBody: Decodable {}

    private func call<Body: Encodable, Answer: Decodable>(
        _ method: ProviderRequest.Method, _ path: String, query: [(String, String)] = [], body: Body?,
        isIdempotent: Bool
    ) async throws(HubSpotError) -> Answer {
        let data: Data?
        do { data = try body.map { try JSONEncoder().encode($0) } } catch {
            throw .rejected(status: 0, category: nil, message: "cannot encode the request: \(error)")
        }
        let response: ProviderResponse
        do {
            response = try await transport.send(
                ProviderRequest(
                    method, path, query: query.map { (name: $0.0, value: $0.1) }, json: data,
                    isIdempotent: isIdempotent),
                to: endpoint)
        } catch let error as ProviderError {
            throw HubSpotError.from(error)
        } catch {
            throw .unavailable("\(error)")
        }
        do {
            return try JSONDecoder().decode(Answer.self, from: response.body.isEmpty ? Data("{}".utf8) : response.body)
        } catch {
            throw .unavailable("HubSpot answered \(response.status) with a body that is not the documented JSON")
        }
    }
}
