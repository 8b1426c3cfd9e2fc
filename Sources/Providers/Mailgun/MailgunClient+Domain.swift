import Foundation

extension MailgunClient {
    /// A sending domain as Mailgun describes it: its name and state (`active`, `unverified` or `disabled`).
    public struct Domain: Sendable, Equatable, Decodable {
        public var name: String
        public var state: String
    }

    /// The client's sending domain (`GET /v4/domains/{name}`): a free, read-only call that says whether the
    /// key is accepted, the domain belongs to its account, and its DNS is verified.
    public func sendingDomain() async throws(MailgunError) -> Domain {
        let response: ProviderResponse
        do {
            response = try await transport.send(ProviderRequest(.get, "/v4/domains/\(domain)"), to: endpoint)
        } catch let error as ProviderError {
            throw MailgunError.from(error)
        } catch {
            throw .unavailable("\(error)")
        }
        struct Answer: Decodable { var domain: Domain }
        do { return try JSONDecoder().decode(Answer.self, from: response.body).domain } catch {
            throw .unavailable("Mailgun answered \(response.status) with a body that is not the documented JSON")
        }
    }
}
