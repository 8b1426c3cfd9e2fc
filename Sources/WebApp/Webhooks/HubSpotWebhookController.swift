import Foundation
import Hummingbird
import LeadgenCore
import NIOFoundationEssentialsCompat
import Pipeline
import Providers
import Storage

/// `POST /webhooks/hubspot`: HubSpot's event deliveries. Each request must carry a valid v3 signature made
/// with the app's secret (`HUBSPOT_WEBHOOK_SECRET`) within five minutes; property changes of synced contacts
/// (`contact.propertyChange`, and the new developer platform's `object.propertyChange` on contacts) are
/// applied to their leads, each event once (by its portal and `eventId`). A contact is found by its portal
/// and its id, never by the id alone: the sync records which portal each workspace reaches.
struct HubSpotWebhookController {
    let secret: String?
    let publicURL: URL?
    let webhooks: WebhookStore
    let syncStore: SyncStore
    let leads: LeadStore
    let registry: ProviderRegistry
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
        var applied = 0
        for event in events.prefix(Self.maxEvents) where event.isContactPropertyChange {
            guard let portal = event.portalId, let objectID = event.objectId, let property = event.propertyName
            else { continue }
            let key = "\(portal):\(event.eventId)"
            guard try await !webhooks.hasDelivery(provider: "hubspot", key: key) else { continue }
            if try await apply(
                contact: String(objectID), portal: String(portal), property: property, value: event.propertyValue)
            {
                applied += 1
            }
            _ = try await webhooks.recordDelivery(provider: "hubspot", key: key)
        }
        return try JSONResponse.make(Receipt(received: events.count, applied: applied))
    }

    /// The URL HubSpot signed: the public URL when configured (behind a proxy), else what the request says.
    private func requestURI(_ request: Request) -> String {
        PublicRequestURL.of(request, publicURL: publicURL)
    }

    /// Sets the lead field mapped to `property` on each lead synced as `contact` of `portal` (contact ids are
    /// unique only within a portal; several workspaces may sync to one portal).
    private func apply(contact: String, portal: String, property: String, value: String?) async throws -> Bool {
        var applied = false
        for (workspace, localID) in try await syncStore.localIDs(
            provider: "hubspot", account: portal, objectType: "lead", remoteID: contact)
        where try await apply(LeadID(rawValue: localID), in: workspace, property: property, value: value) {
            applied = true
        }
        return applied
    }

    private func apply(_ lead: LeadID, in workspace: WorkspaceID, property: String, value: String?) async throws
        -> Bool
    {
        let mapping = try HubSpotFieldMapping.parse(
            try await registry.connectionSettings("hubspot", for: workspace)["field_mapping"])
        guard let field = mapping.contact.first(where: { $0.value == property })?.key else { return false }
        let text = value?.trimmingCharacters(in: .whitespaces)
        let updated = try await leads.update(lead, in: workspace, actor: "hubspot") { lead in
            let clean = text?.isEmpty == false ? text : nil
            switch field {
            case "first_name": lead.fields.firstName = clean.flatMap(PersonName.normalize)
            case "last_name": lead.fields.lastName = clean.flatMap(PersonName.normalize)
            case "title": lead.fields.title = clean
            case "city": lead.fields.city = clean
            case "state": lead.fields.state = clean
            case "country": lead.fields.country = clean.flatMap { Country($0) }
            case "owner": lead.fields.owner = clean
            default:
                if field.hasPrefix("custom:") {
                    lead.fields.customFields[String(field.dropFirst(7))] = clean
                }
            }
        }
        return updated != nil
    }
}
