import Foundation

/// What Apollo said about the mobile number asked for with a match: that it will post it to the webhook
/// later, or that it skipped the person (no number to reveal), so nothing will come.
///
/// Apollo documents only the top-level `request_id` of an asynchronous request (docs/reference/apollo.md §3b). The
/// `phone_enrichment` object (`{"request_id": …, "status": …}`) and its `skipped` status are inferred from
/// public client code and a review of live answers; it is read both at the top of the answer (for the whole
/// call) and on each match (for that person), the match's own winning.
public enum ApolloPhoneRequest: Sendable, Equatable {
    case pending(requestID: String?)
    case skipped(reason: String)

    /// The `phone_enrichment` object of an answer or a match.
    struct Wire: Decodable, Sendable {
        var status: String?
        var requestID: String?
        var message: String?

        enum CodingKeys: String, CodingKey { case status, requestID = "request_id", message }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try? container.decodeIfPresent(String.self, forKey: .status)
            message = try? container.decodeIfPresent(String.self, forKey: .message)
            requestID = Self.requestID(in: container, at: .requestID)
        }

        /// A request id at `key`: Apollo's are signed 64-bit integers, sent as numbers or as strings.
        static func requestID<Key: CodingKey>(in container: KeyedDecodingContainer<Key>, at key: Key) -> String? {
            (try? container.decodeIfPresent(String.self, forKey: key))
                ?? (try? container.decodeIfPresent(Int64.self, forKey: key)).flatMap { $0.map(String.init) }
        }
    }

    /// The state of one matched person's request: their own `phone_enrichment`, else the call's, else pending
    /// under the call's `request_id`.
    static func of(match: Wire?, call: Wire?, callRequestID: String?) -> ApolloPhoneRequest {
        let wire = match ?? call
        if let status = wire?.status?.lowercased(), status == "skipped" {
            return .skipped(reason: wire?.message ?? "Apollo skipped the phone reveal")
        }
        return .pending(requestID: wire?.requestID ?? callRequestID)
    }
}
