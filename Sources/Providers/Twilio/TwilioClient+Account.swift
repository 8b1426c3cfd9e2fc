import Foundation

extension TwilioClient {
    /// The account the credentials belong to: its status (`active`, `suspended`, `closed`) and type (`Trial`,
    /// `Full`). The answer also carries the account's auth token, which is not decoded.
    public struct Account: Sendable, Equatable, Decodable {
        public var sid: String
        public var friendlyName: String?
        public var status: String
        public var type: String?

        enum CodingKeys: String, CodingKey {
            case sid, status, type
            case friendlyName = "friendly_name"
        }
    }

    /// `GET /2010-04-01/Accounts/{AccountSid}.json`: a free, read-only call that says whether the credentials
    /// are accepted and the account may send.
    public func account() async throws(TwilioError) -> Account {
        let response: ProviderResponse
        do {
            response = try await transport.send(
                ProviderRequest(.get, "/2010-04-01/Accounts/\(accountSID).json"), to: endpoint)
        } catch let error as ProviderError {
            throw TwilioError.from(error)
        } catch {
            throw .unavailable("\(error)")
        }
        do { return try JSONDecoder().decode(Account.self, from: response.body) } catch {
            throw .unavailable("Twilio answered \(response.status) with a body that is not the documented JSON")
        }
    }
}
