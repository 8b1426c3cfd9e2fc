import Foundation
import Hummingbird
import LeadgenCore
import NIOCore
import Storage

/// `POST /api/v1/leads/batch`: many leads at once, each read as `POST /api/v1/leads` reads one and merged the
/// same way, in transactions of up to 1,000. The body is a JSON array of up to 1,000 lead objects (or
/// `{"leads": [...]}`), or an NDJSON stream of any length (`application/x-ndjson`, one lead a line). The
/// answer has one result per item, in order: `created`, `merged` (into `lead_id`) or `unchanged`, or
/// `rejected` with the reason and each field at fault; for NDJSON it is NDJSON too, written as each chunk is
/// merged, ending with a summary line.
struct LeadBatchController {
    let ingestor: LeadIngestor

    static let maxItems = 1000
    static let maxJSONBytes = 16 * 1024 * 1024
    static let maxLineBytes = 1024 * 1024

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("leads/batch", use: batch)
    }

    struct ItemResult: Encodable {
        var index: Int?
        var line: Int?
        var outcome: String
        var leadId: String?
        var reason: String?
        var errors: [Problem.FieldError]?
    }

    struct Summary: Encodable {
        var created = 0, merged = 0, unchanged = 0, rejected = 0

        mutating func count(_ result: ItemResult) {
            switch result.outcome {
            case "created": created += 1
            case "merged": merged += 1
            case "unchanged": unchanged += 1
            default: rejected += 1
            }
        }
    }

    struct Answer: Encodable {
        var data: [ItemResult]
        var summary: Summary
    }

    /// One item of the body: where it was, and its JSON or why it could not be read.
    struct Item {
        var position: Int
        var value: Result<JSON, Problem>
    }

    @Sendable func batch(_ request: Request, context: APIRequestContext) async throws -> Response {
        let type = (request.headers[.contentType] ?? "").lowercased()
        if type.hasPrefix("application/x-ndjson") || type.hasPrefix("application/jsonl") {
            return stream(request, context: context)
        }
        guard type.isEmpty || type.hasPrefix("application/json") else {
            throw Problem(
                status: .unsupportedMediaType, title: "Unsupported Media Type",
                detail: "send application/json (up to \(Self.maxItems) leads) or application/x-ndjson, not \(type)")
        }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: Self.maxJSONBytes) } catch {
            throw Problem.tooLarge(limit: Self.maxJSONBytes)
        }
        let value: JSON
        do { value = try JSON.parse(Data(buffer.readableBytesView)) } catch {
            throw Problem.badRequest("the body is not valid JSON")
        }
        let list: [JSON]
        var source = BatchSource.api
        switch value {
        case .array(let items): list = items
        case .object(let object) where object["leads"] != nil:
            var fields = JSONFields(object, allowed: ["leads", "source"])
            if let given = fields.object("source") { source = BatchSource.read(given, into: &fields) }
            guard case .array(let items)? = object["leads"] else {
                fields.fail("leads", "expected an array of leads")
                try fields.check()
                throw Problem.invalid(fields.errors)
            }
            try fields.check()
            list = items
        default:
            throw Problem.badRequest("the body must be an array of leads, or {\"leads\": [...]}")
        }
        guard list.count <= Self.maxItems else {
            throw Problem.invalid([
                .init(
                    field: "leads",
                    message: "at most \(Self.maxItems) leads in one JSON body; send application/x-ndjson for more")
            ])
        }
        let results = try await ingest(
            list.enumerated().map { Item(position: $0, value: .success($1)) }, source: source, context: context,
            lines: false)
        var summary = Summary()
        for result in results { summary.count(result) }
        return try JSONResponse.make(Answer(data: results, summary: summary))
    }

    /// Reads, merges and answers an NDJSON body a chunk at a time: memory holds one chunk, whatever the length.
    private func stream(_ request: Request, context: APIRequestContext) -> Response {
        let body = request.body
        return Response(
            status: .ok, headers: [.contentType: "application/x-ndjson"],
            body: ResponseBody { writer in
                var summary = Summary()
                var lines = NDJSONLines(maxLineBytes: Self.maxLineBytes)
                var pending: [Item] = []
                func flush(_ writer: inout any ResponseBodyWriter) async throws {
                    guard !pending.isEmpty else { return }
                    let results = try await ingest(pending, source: .api, context: context, lines: true)
                    pending.removeAll(keepingCapacity: true)
                    var out = ByteBuffer()
                    for result in results {
                        summary.count(result)
                        out.writeBytes(try JSONEncoder.api.encode(result))
                        out.writeString("\n")
                    }
                    try await writer.write(out)
                }
                for try await buffer in body {
                    for line in lines.feed(buffer) {
                        pending.append(line)
                        if pending.count == Self.maxItems { try await flush(&writer) }
                    }
                }
                pending += lines.finish()
                try await flush(&writer)
                var last = ByteBuffer(bytes: try JSONEncoder.api.encode(["summary": summary]))
                last.writeString("\n")
                try await writer.write(last)
                try await writer.finish(nil)
            })
    }

    /// Reads each item as a lead and merges the good ones in one transaction; one result per item, in order.
    private func ingest(_ items: [Item], source: BatchSource, context: APIRequestContext, lines: Bool) async throws
        -> [ItemResult]
    {
        var results: [ItemResult] = []
        results.reserveCapacity(items.count)
        var ingestable: [(result: Int, item: IngestItem)] = []
        for item in items {
            var result = ItemResult(
                index: lines ? nil : item.position, line: lines ? item.position : nil, outcome: "rejected")
            switch item.value {
            case .failure(let problem):
                result.reason = problem.detail
            case .success(.object(let object)):
                var payload = LeadPayload(object)
                do {
                    let input = try payload.input()
                    let locator = lines ? "line \(item.position)" : "item \(item.position)"
                    ingestable.append(
                        (results.count, IngestItem(input: input, source: source.ref(context, locator: locator))))
                } catch {
                    result.reason = "the lead has invalid fields"
                    result.errors = payload.errors
                }
            case .success(let other):
                result.reason = "expected a lead object, not \(other.typeName)"
            }
            results.append(result)
        }
        let outcomes = try await ingestor.ingest(
            ingestable.map(\.item), into: context.workspace, actor: "api_key:\(context.apiKeyID)")
        for (position, outcome) in outcomes.enumerated() {
            let index = ingestable[position].result
            results[index].leadId = outcome.leadID.rawValue
            results[index].outcome =
                switch outcome {
                case .created: "created"
                case .merged: "merged"
                case .unchanged: "unchanged"
                }
        }
        return results
    }
}

/// Where a batch came from, as its leads' sources and event log record it: the API, or the browser extension
/// with the page the people were captured on (`{"leads": [...], "source": {"kind": "extension", "url": ...}}`).
enum BatchSource {
    case api
    case browserExtension(page: String?)

    static let maxURLLength = 2048

    static func read(_ object: [String: JSON], into fields: inout JSONFields) -> BatchSource {
        var nested = JSONFields(object, allowed: ["kind", "url"], at: "source")
        let kind = nested.string("kind", required: true)
        let url = nested.string("url")
        if let kind, !["api", "extension"].contains(kind) { nested.fail("kind", "expected api or extension") }
        if let url {
            let scheme = URL(string: url)?.scheme?.lowercased()
            if url.count > maxURLLength || !["http", "https", "file"].contains(scheme ?? "") {
                nested.fail(
                    "url", "expected the page's address (http, https or file), up to \(maxURLLength) characters")
            }
        }
        fields.add(nested)
        return kind == "extension" ? .browserExtension(page: url) : .api
    }

    func ref(_ context: APIRequestContext, locator: String) -> LeadSourceRef {
        switch self {
        case .api: LeadSourceRef(kind: "api", reference: context.apiKeyID, locator: locator)
        case .browserExtension(let page): LeadSourceRef(kind: "extension", reference: page, locator: nil)
        }
    }
}

/// Splits an NDJSON stream into its lines, each parsed as JSON: blank lines are skipped, a line longer than
/// the limit is one failed item (its bytes are not kept), and line numbers count from 1.
struct NDJSONLines {
    let maxLineBytes: Int
    private var current: [UInt8] = []
    private var tooLong = false
    private var number = 0

    init(maxLineBytes: Int) { self.maxLineBytes = maxLineBytes }

    mutating func feed(_ buffer: ByteBuffer) -> [LeadBatchController.Item] {
        var items: [LeadBatchController.Item] = []
        for byte in buffer.readableBytesView {
            if byte == UInt8(ascii: "\n") {
                if let item = endLine() { items.append(item) }
            } else if !tooLong {
                if current.count < maxLineBytes { current.append(byte) } else { tooLong = true; current = [] }
            }
        }
        return items
    }

    mutating func finish() -> [LeadBatchController.Item] {
        guard !current.isEmpty || tooLong else { return [] }
        return endLine().map { [$0] } ?? []
    }

    private mutating func endLine() -> LeadBatchController.Item? {
        number += 1
        defer {
            current.removeAll(keepingCapacity: true)
            tooLong = false
        }
        if tooLong {
            return .init(
                position: number, value: .failure(.badRequest("the line is longer than \(maxLineBytes) bytes")))
        }
        let text = current.last == UInt8(ascii: "\r") ? current.dropLast() : current[...]
        guard text.contains(where: { $0 != 32 && $0 != 9 }) else { return nil }
        do {
            return .init(position: number, value: .success(try JSON.parse(Data(text))))
        } catch {
            return .init(position: number, value: .failure(.badRequest("the line is not valid JSON")))
        }
    }
}
