import Foundation
import Hummingbird
import LeadgenCore
import NIOFoundationEssentialsCompat
import Pipeline
import Storage

/// `POST /webhooks/inbound/{token}`: leads from any form tool. The body is a JSON object (one record), a
/// JSON array of up to 100 objects, or an HTML form (`application/x-www-form-urlencoded`); it is decoded
/// into fields and handed to `InboundLeadIntake`. The URL's token is the only credential, so it is
/// unguessable and kept only as a digest. The answer lists each record's outcome: `created`, `merged` or
/// `unchanged` with the lead's id, or `rejected` with the reason; 422 when every record was rejected.
struct InboundHookController {
    let hooks: InboundHookStore
    let intake: InboundLeadIntake
    let maxBody: Int

    func register(on router: Router<AppRequestContext>) {
        router.post("webhooks/inbound/:token", use: receive)
    }

    struct Item: Encodable {
        var index: Int
        var outcome: String
        var leadId: String?
        var reason: String?
    }

    struct Answer: Encodable { var data: [Item] }

    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let hook = try await hooks.hook(forToken: token) else { throw Problem.notFound("this webhook") }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: maxBody) } catch { throw Problem.tooLarge(limit: maxBody) }
        let records = try Self.records(Data(buffer: body), contentType: request.headers[.contentType] ?? "")
        let outcomes = try await intake.receive(records, through: hook)
        let items = outcomes.enumerated().map { index, outcome in
            switch outcome {
            case .ingested(.created(let id)): Item(index: index, outcome: "created", leadId: id.rawValue)
            case .ingested(.merged(let id)): Item(index: index, outcome: "merged", leadId: id.rawValue)
            case .ingested(.unchanged(let id)): Item(index: index, outcome: "unchanged", leadId: id.rawValue)
            case .rejected(let reason): Item(index: index, outcome: "rejected", reason: reason)
            }
        }
        let allRejected = items.allSatisfy { $0.outcome == "rejected" }
        return try JSONResponse.make(Answer(data: items), status: allRejected ? .unprocessableContent : .ok)
    }

    /// The posted records, each as its fields.
    static func records(_ data: Data, contentType: String) throws -> [[(name: String, value: String)]] {
        let type = contentType.lowercased()
        if type.hasPrefix("application/x-www-form-urlencoded") {
            let fields = FormURLEncoded.parse(String(decoding: data, as: UTF8.self)).prefix(InboundFields.maxFields)
            return [fields.map { (name: $0.name, value: $0.value) }]
        }
        guard type.isEmpty || type.hasPrefix("application/json") else {
            throw Problem(
                status: .unsupportedMediaType, title: "Unsupported Media Type",
                detail: "send application/json (an object, or an array of objects) or an HTML form, not \(contentType)")
        }
        let json: JSON
        do { json = try JSON.parse(data) } catch { throw Problem.badRequest("the body is not JSON") }
        switch json {
        case .object(let object): return [InboundFields.of(object)]
        case .array(let items):
            guard !items.isEmpty, items.count <= InboundLeadIntake.maxRecords else {
                throw Problem.badRequest("send from 1 to \(InboundLeadIntake.maxRecords) records in one array")
            }
            return try items.enumerated().map { index, item in
                guard case .object(let object) = item else {
                    throw Problem.badRequest("item \(index) is \(item.typeName), not an object")
                }
                return InboundFields.of(object)
            }
        default:
            throw Problem.badRequest("the body is \(json.typeName): send an object, or an array of objects")
        }
    }
}
