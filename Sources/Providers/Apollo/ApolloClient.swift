import Foundation
import LeadgenCore

/// Calls Apollo.io's REST API (docs/reference/apollo.md) over the shared provider transport.
///
/// Search is free; `people/match`, `people/bulk_match` and the organization endpoints consume credits, so
/// they are never retried when the outcome is unknown (a timeout or a 5xx): only a 429, which Apollo did not
/// act on, is tried again.
public struct ApolloClient: Sendable {
    public static let defaultBaseURL = URL(string: "https://api.apollo.io/api/v1")!
    /// Apollo serves at most 100 people per page (`per_page` 250 is a 422) and 500 pages per query.
    public static let maxPerPage = 100
    public static let maxPages = 500
    /// `people/bulk_match` and `organizations/bulk_enrich` take at most 10 records per call.
    public static let maxBulkSize = 10

    let transport: ProviderTransport
    let endpoint: ProviderEndpoint

    public init(transport: ProviderTransport, endpoint: ProviderEndpoint) {
        self.transport = transport
        self.endpoint = endpoint
    }

    /// How to reach Apollo with a key: the `x-api-key` header (a Bearer token is refused with a 401), and
    /// the quota headers read into the limiter.
    public static func endpoint(
        apiKey: String, baseURL: URL = defaultBaseURL, timeout: Duration = .seconds(30),
        limiter: RateLimiter? = RateLimiter(capacity: 5, perSecond: 3)
    ) -> ProviderEndpoint {
        ProviderEndpoint(
            provider: "apollo", baseURL: baseURL, headers: [("x-api-key", apiKey), ("Accept", "application/json")],
            timeout: timeout, maxAttempts: 5, limiter: limiter, quota: ApolloRateLimitHeaders.quota)
    }

    // MARK: The key

    /// Whether Apollo takes the key: `GET /v1/auth/health`, free, answers `{"is_logged_in": true}` (also seen
    /// with `"healthy": true`); a key it refuses is a 401 `ApolloError`.
    public func health() async throws(ApolloError) -> Bool {
        struct Answer: Decodable {
            var isLoggedIn: Bool?
            var healthy: Bool?
            enum CodingKeys: String, CodingKey { case isLoggedIn = "is_logged_in", healthy }
        }
        let answer: Answer = try await call(.get, "/auth/health", body: nil as String?, isIdempotent: true)
        return answer.isLoggedIn ?? answer.healthy ?? false
    }

    // MARK: People search (0 credits)

    /// One page of people matching `query` (page from 1; at most 100 per page).
    public func searchPeople(_ query: ApolloPeopleQuery, page: Int, perPage: Int = maxPerPage) async throws(ApolloError)
        -> ApolloSearchPage
    {
        precondition((1...Self.maxPerPage).contains(perPage), "Apollo serves 1 to 100 people per page")
        struct Answer: Decodable {
            var totalEntries: Int?
            var pagination: Pagination?
            var people: [ApolloSearchPerson]?
            struct Pagination: Decodable {
                var totalEntries: Int?
                enum CodingKeys: String, CodingKey { case totalEntries = "total_entries" }
            }
            enum CodingKeys: String, CodingKey { case totalEntries = "total_entries", pagination, people }
        }
        // A search asks again on a timeout or 5xx: it costs nothing and changes nothing.
        let answer: Answer = try await call(
            .post, "/mixed_people/api_search", body: ApolloSearchBody(query: query, page: page, perPage: perPage),
            isIdempotent: true)
        return ApolloSearchPage(
            totalEntries: answer.totalEntries ?? answer.pagination?.totalEntries ?? 0, people: answer.people ?? [])
    }

    // MARK: Enrichment (credits)

    /// Enriches one person; nil when Apollo finds no one (`{"person": null}`).
    public func matchPerson(_ details: ApolloMatchDetails) async throws(ApolloError) -> ApolloPerson? {
        struct Answer: Decodable { var person: ApolloPerson? }
        let answer: Answer = try await call(.post, "/people/match", body: details, isIdempotent: false)
        return answer.person
    }

    /// Enriches up to 10 people in one call; the answer has one entry per person, nil for no match.
    /// `phoneWebhook` asks Apollo to reveal mobile numbers, delivered later to that URL (docs/reference/apollo.md §3c).
    public func bulkMatch(_ details: [ApolloMatchDetails], phoneWebhook: URL? = nil) async throws(ApolloError)
        -> ApolloBulkMatch
    {
        guard !details.isEmpty else { return ApolloBulkMatch(matches: [], creditsConsumed: 0) }
        guard details.count <= Self.maxBulkSize else {
            throw .invalidRequest(
                status: 400, code: "RECORD_LIMIT_EXCEEDED", message: "cannot enrich more than 10 in a single request")
        }
        struct Body: Encodable { var details: [ApolloMatchDetails] }
        struct Match: Decodable {
            var person: ApolloPerson
            var phone: ApolloPhoneRequest.Wire?
            enum CodingKeys: String, CodingKey { case phone = "phone_enrichment" }
            init(from decoder: any Decoder) throws {
                person = try ApolloPerson(from: decoder)
                phone = try? decoder.container(keyedBy: CodingKeys.self)
                    .decodeIfPresent(ApolloPhoneRequest.Wire.self, forKey: .phone)
            }
        }
        struct Answer: Decodable {
            var matches: [Match?]?
            var creditsConsumed: Double?
            var phone: ApolloPhoneRequest.Wire?
            var requestID: String?
            enum CodingKeys: String, CodingKey {
                case matches, creditsConsumed = "credits_consumed", phone = "phone_enrichment", requestID = "request_id"
            }
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                matches = try container.decodeIfPresent([Match?].self, forKey: .matches)
                creditsConsumed = try container.decodeIfPresent(Double.self, forKey: .creditsConsumed)
                phone = try? container.decodeIfPresent(ApolloPhoneRequest.Wire.self, forKey: .phone)
                requestID = ApolloPhoneRequest.Wire.requestID(in: container, at: .requestID)
            }
        }
        // The reveal flags are query parameters and apply to every person of the call (docs/reference/apollo.md §3b).
        var query = [("reveal_personal_emails", "false")]
        if let phoneWebhook {
            query += [("reveal_phone_number", "true"), ("webhook_url", phoneWebhook.absoluteString)]
        } else {
            query.append(("reveal_phone_number", "false"))
        }
        let answer: Answer = try await call(
            .post, "/people/bulk_match", query: query, body: Body(details: details), isIdempotent: false)
        var matches = answer.matches ?? []
        // Entries are positional; a short list means the rest were not matched.
        if matches.count < details.count {
            matches += Array(repeating: nil, count: details.count - matches.count)
        }
        matches = Array(matches.prefix(details.count))
        let phoneRequests = matches.map { match -> ApolloPhoneRequest? in
            guard phoneWebhook != nil, let match else { return nil }
            return ApolloPhoneRequest.of(match: match.phone, call: answer.phone, callRequestID: answer.requestID)
        }
        return ApolloBulkMatch(
            matches: matches.map { $0?.person },
            creditsConsumed: answer.creditsConsumed ?? Double(matches.compactMap { $0 }.count),
            phoneRequests: phoneRequests)
    }

    /// Enriches one organization by its domain; nil when Apollo knows none.
    public func enrichOrganization(domain: String) async throws(ApolloError) -> ApolloOrganization? {
        struct Answer: Decodable { var organization: ApolloOrganization? }
        let answer: Answer = try await call(
            .get, "/organizations/enrich", query: [("domain", domain)], body: nil as String?, isIdempotent: false)
        return answer.organization
    }

    /// Enriches up to 10 organizations by domain in one call.
    public func bulkEnrichOrganizations(domains: [String]) async throws(ApolloError) -> [ApolloOrganization] {
        guard !domains.isEmpty else { return [] }
        guard domains.count <= Self.maxBulkSize else {
            throw .invalidRequest(
                status: 400, code: "RECORD_LIMIT_EXCEEDED", message: "cannot enrich more than 10 in a single request")
        }
        struct Answer: Decodable { var organizations: [ApolloOrganization?]? }
        let answer: Answer = try await call(
            .post, "/organizations/bulk_enrich", query: domains.map { ("domains[]", $0) }, body: nil as String?,
            isIdempotent: false)
        return (answer.organizations ?? []).compactMap { $0 }
    }

    // MARK: Any endpoint

    /// Calls any Apollo endpoint below the API base (`/mixed_people/api_search`) with the connection's key,
    /// as Make's "Make an API call" module does, and returns the answer. Only reads and searches are sent
    /// again when their outcome is unknown; anything that may consume credits is not.
    public func makeAPICall(
        _ method: ProviderRequest.Method, _ path: String, query: [(String, String)] = [], body: Data?
    ) async throws(ApolloError) -> ProviderResponse {
        let safe = method == .get || path.contains("search")
        do {
            return try await transport.send(
                ProviderRequest(
                    method, path, query: query.map { (name: $0.0, value: $0.1) }, json: body, isIdempotent: safe),
                to: endpoint)
        } catch let error as ProviderError {
            throw ApolloError.from(error)
        } catch {
            throw .unavailable("\(error)")
        }
    }

    // MARK: Transport

    private func call<Body: Encodable, Answer: Decodable>(
        _ method: ProviderRequest.Method, _ path: String, query: [(String, String)] = [], body: Body?,
        isIdempotent: Bool
    ) async throws(ApolloError) -> Answer {
        let data: Data?
        do {
            data = try body.map { try JSONEncoder().encode($0) }
        } catch {
            throw .invalidRequest(status: 0, code: nil, message: "cannot encode the request: \(error)")
        }
        let response: ProviderResponse
        do {
            response = try await transport.send(
                ProviderRequest(
                    method, path, query: query.map { (name: $0.0, value: $0.1) }, json: data,
                    isIdempotent: isIdempotent),
                to: endpoint)
        } catch let error as ProviderError {
            throw ApolloError.from(error)
        } catch {
            throw .unavailable("\(error)")
        }
        do {
            return try JSONDecoder().decode(Answer.self, from: response.body)
        } catch {
            throw .unavailable("Apollo answered \(response.status) with a body that is not the documented JSON")
        }
    }
}
