import Foundation
import LeadgenCore

/// Calls Make's API v2 (docs/reference/make.md §6) and Make custom webhooks, so teams can mix scenarios that run
/// in Leadgen with scenarios they keep on Make.com.
///
/// Starting a run is not idempotent (a second call is a second run), so only a 429 — which Make did not
/// act on — is sent again; listing is.
public struct MakeClient: Sendable {
    /// The zones of Make's OpenAPI server list.
    public static let zones = [
        "eu1.make.com", "eu2.make.com", "us1.make.com", "us2.make.com", "eu1.make.celonis.com", "us1.make.celonis.com",
    ]

    let transport: ProviderTransport
    let endpoint: ProviderEndpoint

    public init(transport: ProviderTransport, endpoint: ProviderEndpoint) {
        self.transport = transport
        self.endpoint = endpoint
    }

    /// `https://<zone>/api/v2`.
    public static func baseURL(zone: String) -> URL? {
        URL(string: "https://\(zone)/api/v2")
    }

    /// An API token (a UUID) goes as `Authorization: Token …`; anything else is an OAuth access token and
    /// goes as `Bearer …`, as Make's SDK tells them apart.
    public static func endpoint(
        token: String, baseURL: URL, timeout: Duration = .seconds(45), limiter: RateLimiter? = nil
    ) -> ProviderEndpoint {
        let scheme = isAPIToken(token) ? "Token" : "Bearer"
        return ProviderEndpoint(
            provider: "make", baseURL: baseURL, headers: [("Authorization", "\(scheme) \(token)")], timeout: timeout,
            maxAttempts: 3, limiter: limiter)
    }

    static func isAPIToken(_ token: String) -> Bool {
        guard let uuid = UUID(uuidString: token) else { return false }
        let text = uuid.uuidString.lowercased()
        let bytes = Array(text)
        return bytes[14] == "4" && "89ab".contains(bytes[19])
    }

    /// One scenario as Make lists it.
    public struct Scenario: Decodable, Sendable, Equatable {
        public var id: Int
        public var name: String
        public var teamId: Int?
        public var isActive: Bool?
        public var isPaused: Bool?
        public var hookId: Int?
    }

    /// The user a token belongs to (`GET /users/me`, `{"authUser": {"id", "name", "email", …}}`): a free,
    /// read-only call that says whether the token is accepted.
    public struct User: Sendable, Equatable, Decodable {
        public var id: Int
        public var name: String
    }

    public func currentUser() async throws(MakeError) -> User {
        struct Answer: Decodable { var authUser: User }
        let response = try await send(ProviderRequest(.get, "/users/me"))
        do {
            return try JSONDecoder().decode(Answer.self, from: response.body).authUser
        } catch {
            throw .unavailable("Make answered \(response.status) with a body that is not the documented JSON")
        }
    }

    /// The scenarios of a team (or of an organization), a page at a time.
    public func listScenarios(teamID: Int?, organizationID: Int? = nil, limit: Int = 100, offset: Int = 0)
        async throws(MakeError) -> [Scenario]
    {
        var query: [(name: String, value: String)] = [("pg[limit]", String(limit)), ("pg[offset]", String(offset))]
        if let teamID { query.append(("teamId", String(teamID))) }
        if let organizationID { query.append(("organizationId", String(organizationID))) }
        struct Answer: Decodable { var scenarios: [Scenario] }
        let response = try await send(ProviderRequest(.get, "/scenarios", query: query))
        do {
            return try JSONDecoder().decode(Answer.self, from: response.body).scenarios
        } catch {
            throw .unavailable("Make answered \(response.status) with a body that is not the documented JSON")
        }
    }

    /// What starting a run returned: its execution id and, when Make waited for it (`responsive`), its
    /// status (1 success, 2 warning, 3 error) and outputs (JSON).
    public struct RunResult: Sendable, Equatable {
        public var executionID: String
        public var status: Int?
        public var outputs: Data?
    }

    /// Starts a run of an active scenario with `data` (a JSON object) as its inputs. With `responsive` Make
    /// waits up to 40 s for the run to finish.
    public func runScenario(_ id: Int, data: Data?, responsive: Bool, callbackURL: URL? = nil)
        async throws(MakeError) -> RunResult
    {
        var body = "{\"responsive\":\(responsive)"
        if let data { body += ",\"data\":" + String(decoding: data, as: UTF8.self) }
        if let callbackURL {
            body +=
                ",\"callbackUrl\":"
                + String(decoding: try! JSONEncoder().encode(callbackURL.absoluteString), as: UTF8.self)
        }
        body += "}"
        let response = try await send(
            ProviderRequest(.post, "/scenarios/\(id)/run", json: Data(body.utf8), isIdempotent: false))
        guard let object = (try? JSON.parse(response.body))?.objectValue,
            let execution = object["executionId"]?.stringValue ?? object["executionId"]?.intValue.map(String.init)
        else { throw .unavailable("Make answered \(response.status) without an executionId") }
        let outputs = object["outputs"].flatMap { $0 == .null ? nil : try? $0.data() }
        let status: Int? = if case .int(let code)? = object["status"] { code } else { nil }
        return RunResult(executionID: execution, status: status, outputs: outputs)
    }

    private func send(_ request: ProviderRequest) async throws(MakeError) -> ProviderResponse {
        do {
            return try await transport.send(request, to: endpoint)
        } catch let error as ProviderError {
            throw MakeError.from(error)
        } catch {
            throw .unavailable("\(error)")
        }
    }
}

/// Calls a Make custom webhook (`https://hook.<zone>/<token>`): one request starts one run there. Make
/// answers "Accepted" unless the scenario responds itself; 410 when no scenario listens any more; 429 beyond
/// 300 requests in ten seconds.
public struct MakeWebhookClient: Sendable {
    let transport: ProviderTransport
    /// Webhook URLs come from scenarios and sequences, so each call is checked by this policy.
    let outbound: OutboundURLPolicy

    public init(transport: ProviderTransport, outbound: OutboundURLPolicy) {
        self.transport = transport
        self.outbound = outbound
    }

    public struct Answer: Sendable, Equatable {
        public var status: Int
        public var contentType: String?
        public var body: Data
    }

    /// Posts `body` (JSON) to the webhook URL, which is its own credential.
    public func call(_ url: URL, json body: Data, timeout: Duration = .seconds(45)) async throws(MakeError) -> Answer {
        let endpoint = ProviderEndpoint(
            provider: "make-webhook", baseURL: url, timeout: timeout, maxAttempts: 3, outbound: outbound)
        do {
            let response = try await transport.send(
                ProviderRequest(
                    .post, "", headers: [("Content-Type", "application/json")], json: body, isIdempotent: false),
                to: endpoint)
            return Answer(status: response.status, contentType: response.header("content-type"), body: response.body)
        } catch let error as ProviderError {
            throw MakeError.from(error)
        } catch {
            throw .unavailable("\(error)")
        }
    }
}
