import Foundation

extension SendGridClient {
    /// The scopes of the API key in use (`GET /v3/scopes`, `{"scopes": ["mail.send", …]}`): a free, read-only
    /// call that says whether the key is accepted and whether it may send mail.
    public func scopes() async throws(SendGridError) -> [String] {
        let response: ProviderResponse
        do {
            response = try await transport.send(ProviderRequest(.get, "/v3/scopes"), to: endpoint)
        } catch let error as ProviderError {
            throw SendGridError.from(error)
        } catch {
            throw .unavailable("\(error)")
        }
        struct Answer: Decodable { var scopes: [String] }
        do { return try JSONDecoder().decode(Answer.self, from: response.body).scopes } catch {
            throw .unavailable("SendGrid answered \(response.status) with a body that is not the documented JSON")
        }
    }
}
