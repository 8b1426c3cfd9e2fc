import Foundation
import Hummingbird
import NIOFoundationEssentialsCompat
import Pipeline
import Providers
import Storage

/// `POST /webhooks/apollo/{token}`: Apollo's later delivery of revealed phone numbers, handed to
/// `ApolloPhoneDelivery`. Apollo signs nothing, so the URL carries an unguessable token issued for one
/// enrichment run; a delivery is applied once, and a retried delivery changes nothing.
struct ApolloWebhookController {
    let webhooks: WebhookStore
    let delivery: ApolloPhoneDelivery
    let maxBody: Int

    func register(on router: Router<AppRequestContext>) {
        router.post("webhooks/apollo/:token", use: receive)
    }

    struct Delivery: Decodable {
        var people: [Person]?
        struct Person: Decodable {
            var id: String
            var phoneNumbers: [ApolloPhoneNumber]?
            enum CodingKeys: String, CodingKey { case id, phoneNumbers = "phone_numbers" }
        }
    }

    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let workspace = try await webhooks.workspace(forToken: token, provider: "apollo") else {
            throw Problem.notFound("this webhook")
        }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: maxBody) } catch { throw Problem.tooLarge(limit: maxBody) }
        let data = Data(buffer: body)
        let payload: Delivery
        do {
            payload = try JSONDecoder().decode(Delivery.self, from: data)
        } catch {
            throw Problem.badRequest("the body is not an Apollo phone delivery: \(Self.reason(error))")
        }
        let key = WebhookStore.digest(token + "\n" + String(decoding: data, as: UTF8.self))
        let people = (payload.people ?? []).map {
            ApolloPhoneDelivery.Person(id: $0.id, phoneNumbers: $0.phoneNumbers ?? [])
        }
        return try JSONResponse.make(try await delivery.apply(people, key: key, in: workspace))
    }

    static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.keyNotFound(_, let context), DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}
