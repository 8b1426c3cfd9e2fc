import Foundation
import Hummingbird
import NIOFoundationEssentialsCompat
import Pipeline
import Providers

/// `POST /webhooks/hubspot`: HubSpot's event deliveries. Each request must carry a valid v3 signature made
/// with the app's secret (`HUBSPOT_WEBHOOK_SECRET`) within five minutes; property changes of synced contacts
/// (`contact.propertyChange`, and the new developer platform's `object.propertyChange` on contacts) are
/// handed to `HubSpotContactChanges`.
struct HubSpotWebhookController {
    let secret: String?
    let publicURL: URL?
    let changes: HubSpotContactChanges
    let maxBody: Int
    /// The clock the signature's timestamp is checked against.
    let now: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        router.post("webhooks/hubspot", use: receive)
    }

    struct Event: Decodable {
        var eventId: Int64
        var portalId: Int64?
        var subscriptionType: String
        var objectId: Int64?
        var propertyName: String?
        var propertyValue: String?
        /// The new developer platform's generic subscriptions name the object: `objectName` as in their
        /// webhooks.json, or `objectTypeId` ("0-1" is contacts). Which of the two a delivery carries is
        /// inferred from HubSpot's configuration docs, so both are read.
        var objectName: String?
        var objectTypeId: String?

        var isContactPropertyChange: Bool {
            switch subscriptionType {
            case "contact.propertyChange": true
            case "object.propertyChange": objectName?.lowercased() == "contact" || objectTypeId == "0-1"
            default: false
            }
        }
    }

    /// Events read from one delivery. HubSpot sends at most 100 per request (its webhooks documentation), so
    /// this cap only bounds the work a forged-size body could ask for; events past it are not read.
    static let maxEvents = 1000

    struct Receipt: Encodable {
        var received: Int
        var applied: Int
    }

    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let secret else {
            throw Problem(
                status: .notFound, title: "Not Found",
                detail: "HubSpot webhooks are not enabled: set HUBSPOT_WEBHOOK_SECRET to the app's client secret")
        }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: maxBody) } catch { throw Problem.tooLarge(limit: maxBody) }
        let data = Data(buffer: body)
        do {
            try HubSpotWebhookSignature.verify(
                secret: secret, method: request.method.rawValue, uri: requestURI(request), body: data,
                signature: request.headers[values: .init("X-HubSpot-Signature-v3")!].first,
                timestamp: request.headers[values: .init("X-HubSpot-Request-Timestamp")!].first, now: now())
        } catch {
            throw Problem(status: .unauthorized, title: "Unauthorized", detail: error.description)
        }
        let events: [Event]
        do {
            events = try JSONDecoder().decode([Event].self, from: data)
        } catch {
            throw Problem.badRequest(
                "the body is not a JSON array of HubSpot events: \(ApolloWebhookController.reason(error))")
        }
        let changes = events.prefix(Self.maxEvents).compactMap { event -> HubSpotContactChanges.Change? in
            guard event.isContactPropertyChange, let portal = event.portalId, let objectID = event.objectId,
                let property = event.propertyName
            else { return nil }
            return HubSpotContactChanges.Change(
                eventID: event.eventId, portal: String(portal), contact: String(objectID), property: property,
                value: event.propertyValue)
        }
        let applied = try await self.changes.apply(changes)
        return try JSONResponse.make(Receipt(received: events.count, applied: applied))
    }

    /// The URL HubSpot signed: the public URL when configured (behind a proxy), else what the request says.
    private func requestURI(_ request: Request) -> String {
        PublicRequestURL.of(request, publicURL: publicURL)
    }
}
