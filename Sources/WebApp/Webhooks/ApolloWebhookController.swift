import Foundation
import Hummingbird
import LeadgenCore
import NIOFoundationEssentialsCompat
import Providers
import Storage

/// `POST /webhooks/apollo/{token}`: Apollo's later delivery of revealed phone numbers (docs/reference/apollo.md
/// §3c). Apollo signs nothing, so the URL carries an unguessable token issued for one enrichment run; a
/// delivery is applied once, and a retried delivery changes nothing. Each person's requested phone is then
/// settled: delivered, or none when the delivery brought no number for them.
struct ApolloWebhookController {
    let webhooks: WebhookStore
    let leads: LeadStore
    let ingestor: LeadIngestor
    let phoneReveals: PhoneRevealStore
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

    struct Receipt: Encodable {
        var received: Int
        var applied: Int
        var duplicate: Bool
    }

    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let workspace = try await webhooks.workspace(forToken: token, provider: "apollo") else {
            throw Problem.notFound("this webhook")
        }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: maxBody) } catch { throw Problem.tooLarge(limit: maxBody) }
        let data = Data(buffer: body)
        let delivery: Delivery
        do {
            delivery = try JSONDecoder().decode(Delivery.self, from: data)
        } catch {
            throw Problem.badRequest("the body is not an Apollo phone delivery: \(Self.reason(error))")
        }
        let key = WebhookStore.digest(token + "\n" + String(decoding: data, as: UTF8.self))
        if try await webhooks.hasDelivery(provider: "apollo", key: key) {
            return try JSONResponse.make(Receipt(received: delivery.people?.count ?? 0, applied: 0, duplicate: true))
        }
        let people = delivery.people ?? []
        // Only people who are leads already: a delivery never creates anyone.
        let known = try await leads.knownIdentities(
            people.map { MatchKey(kind: .apolloPerson, value: $0.id) }, in: workspace)
        var items: [IngestItem] = []
        var delivered: [String] = []
        var without: [String] = []
        for person in people where known.contains(MatchKey(kind: .apolloPerson, value: person.id)) {
            var values: [LeadColumn: String] = [.apolloPersonID: person.id]
            for phone in person.phoneNumbers ?? [] {
                guard let number = phone.sanitizedNumber ?? phone.rawNumber else { continue }
                let column: LeadColumn =
                    switch phone.type {
                    case "mobile": .mobilePhone
                    case "work_direct": .workDirectPhone
                    case "home": .homePhone
                    default: .otherPhone
                    }
                values[column] = values[column] ?? number
            }
            guard values.count > 1, let input = try? LeadInput.normalizing(values) else {
                without.append(person.id)
                continue
            }
            delivered.append(person.id)
            items.append(
                IngestItem(
                    input: input, source: LeadSourceRef(kind: "apollo", reference: "phone-webhook", locator: person.id))
            )
        }
        // Applied first, then recorded: a crash in between replays an idempotent merge, never loses the phones.
        _ = try await ingestor.ingest(items, into: workspace, actor: "apollo")
        try await phoneReveals.settle(delivered: delivered, without: without, workspace: workspace)
        _ = try await webhooks.recordDelivery(provider: "apollo", key: key)
        return try JSONResponse.make(Receipt(received: people.count, applied: items.count, duplicate: false))
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
