import Automation
import Foundation
import LeadgenCore
import Outreach
import Pipeline
import Providers

@testable import WebApp

/// What each fuzzer feeds its input to: every parser that reads what strangers send. A target returns
/// normally whatever the input; a trap, an overflow or a memory error is a finding.
enum FuzzTargets {
    typealias Target = @Sendable (Data) -> Void

    static let all: [String: Target] = [
        "csv": csv, "iml": iml, "filter": filter, "blueprint": blueprint, "sequence": sequence,
        "mustache": mustache, "form": form, "multipart": multipart, "signatures": signatures,
        "inbound": inbound, "linkage": linkage, "dns": dns, "vcard": vcard,
    ]

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    /// The CSV parser in one piece and in chunks of seven bytes, then the reader's records.
    static func csv(_ data: Data) {
        var whole = CSVParser()
        var records: [CSVRecord] = []
        whole.feed(data, into: &records)
        whole.finish(into: &records)
        var chunked = CSVParser()
        var again: [CSVRecord] = []
        var index = data.startIndex
        while index < data.endIndex {
            let end = data.index(index, offsetBy: 7, limitedBy: data.endIndex) ?? data.endIndex
            chunked.feed(data[index..<end], into: &again)
            index = end
        }
        chunked.finish(into: &again)
        precondition(records.count == again.count, "chunk boundaries changed the records")
    }

    static let outputs: [String: JSON] = [
        "1": .object([
            "name": .string("Ada"), "n": .int(3), "x": .double(2.5), "items": .array([.int(1), .string("b")]),
            "nested": .object(["a": .array([.object(["b": .null])])]),
        ])
    ]

    static var evaluator: IMLEvaluator {
        IMLEvaluator(context: IMLContext(outputs: outputs, now: Date(timeIntervalSince1970: 1_800_000_000)))
    }

    /// An IML mapper string: parsed, then evaluated against fixed module outputs.
    static func iml(_ data: Data) {
        guard let template = try? IMLTemplate(parsing: text(data)) else { return }
        _ = try? evaluator.evaluate(template)
    }

    /// A filter's conditions as JSON, evaluated.
    static func filter(_ data: Data) {
        guard let conditions = try? JSON.parse(data) else { return }
        _ = try? IMLFilter.passes(conditions, evaluator: evaluator)
    }

    /// A blueprint file, decoded and checked.
    static func blueprint(_ data: Data) {
        guard let blueprint = try? Blueprint(data: data) else { return }
        _ = BlueprintValidator.problems(blueprint, supported: ["gateway:CustomWebHook", "util:SetVariable2"])
        _ = try? blueprint.json.data()
    }

    /// A sequence definition, read with every problem by path.
    static func sequence(_ data: Data) {
        _ = try? SequenceDefinition(json: data)
    }

    /// A message template, parsed and rendered as text and HTML.
    static func mustache(_ data: Data) {
        guard let template = try? MustacheTemplate(parsing: text(data)) else { return }
        let values = TemplateValues([
            "first_name": .text("Ada"), "company": .object(["name": .text("Acme")]),
            "tags": .list([.text("a"), .text("b")]), "vip": .bool(true),
        ])
        _ = template.render(values, fallbacks: ["first_name": "there"])
        _ = template.render(values, html: true)
    }

    /// A form body.
    static func form(_ data: Data) {
        _ = FormURLEncoded.parse(data)
    }

    /// The first line is the Content-Type; the rest is the body, streamed in pieces of 13 bytes.
    static func multipart(_ data: Data) {
        let newline = data.firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
        let contentType = text(data[data.startIndex..<newline])
        let body = newline < data.endIndex ? data[data.index(after: newline)...] : Data()[...]
        guard let boundary = MultipartStream.boundary(in: contentType) else { return }
        var received = 0
        let handlers = MultipartParser.Handlers(
            onPartStart: { fields in
                _ = MultipartStream.disposition(fields.last { $0.name == "content-disposition" }?.value ?? "")
            },
            onBody: { bytes in received += bytes.count }, onPartEnd: {})
        guard var parser = try? MultipartParser(boundary: boundary, handlers: handlers) else { return }
        var index = body.startIndex
        while index < body.endIndex {
            let end = body.index(index, offsetBy: 13, limitedBy: body.endIndex) ?? body.endIndex
            guard (try? parser.feed(body[index..<end])) != nil else { return }
            index = end
        }
        try? parser.finish()
        precondition(received <= body.count, "a part cannot hold more bytes than the body")
    }

    /// Header values and bodies as the webhook receivers hand them to the signature checks: the input's
    /// lines are the signature, the timestamp, the token, and then the body.
    static func signatures(_ data: Data) {
        let lines = text(data).split(separator: "\n", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        func line(_ index: Int) -> String? { index < lines.count ? lines[index] : nil }
        let body = Data((line(3) ?? "").utf8)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        try? HubSpotWebhookSignature.verify(
            secret: "secret", method: "POST", uri: "https://leadgen.example/webhooks/hubspot", body: body,
            signature: line(0), timestamp: line(1), now: now)
        try? MailgunWebhookSignature.verify(
            signingKey: "key", timestamp: line(1), token: line(2), signature: line(0), now: now)
        try? SendGridEventSignature.verify(
            publicKey: line(2) ?? "", signature: line(0), timestamp: line(1), body: body, now: now)
        _ = TwilioSignature.isValid(
            authToken: "token", url: line(2) ?? "", parameters: FormURLEncoded.parse(body).map { ($0.name, $0.value) },
            signature: line(0) ?? "")
        _ = TwilioSignature.isValid(authToken: "token", url: line(2) ?? "", jsonBody: body, signature: line(0) ?? "")
        try? StandardWebhookSignature.verify(
            id: line(2), timestamp: line(1), signature: line(0), body: body,
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", now: now)
    }

    /// A body a form tool posts to an inbound webhook, read as JSON and as a form: the records and their
    /// fields, bounded whatever the input.
    static func inbound(_ data: Data) {
        for type in ["application/json", "application/x-www-form-urlencoded"] {
            guard let records = try? InboundHookController.records(data, contentType: type) else { continue }
            precondition(records.count <= InboundLeadIntake.maxRecords, "at most 100 records")
            for fields in records {
                precondition(fields.count <= InboundFields.maxFields, "at most 200 fields a record")
                _ = LeadRowMapper(header: fields.map(\.name)).map(CSVRecord(fields: fields.map(\.value), line: 1))
            }
        }
    }

    /// Linkage settings (JSON, up to the first blank line) and a CSV file of records after it: settings read,
    /// then, when valid, the records linked (a few hundred at most, with few random pairs, to stay quick).
    static func linkage(_ data: Data) {
        let bytes = [UInt8](data)
        let split = (0..<max(0, bytes.count - 1)).first { bytes[$0] == 10 && bytes[$0 + 1] == 10 } ?? bytes.count
        guard var settings = try? LinkageSettings(json: Data(bytes[..<split])) else { return }
        settings.randomPairs = min(settings.randomPairs, 500)
        settings.maxIterations = min(settings.maxIterations, 20)
        settings.maxBlockSize = min(settings.maxBlockSize, 50)
        var chunk: [UInt8]? = Array(bytes[min(split + 2, bytes.count)...].prefix(20_000))
        var reader = CSVReader {
            defer { chunk = nil }
            return chunk
        }
        guard let (table, _) = try? LinkageTable.read(&reader, idColumn: "id", fields: settings.fields) else { return }
        let result = RecordLinkage(settings: settings).link(table, minimumProbability: 0.01)
        for pair in result.pairs {
            precondition(pair.a < pair.b && pair.b < table.count, "a pair is two records, the smaller first")
            precondition(pair.probability >= 0.01 && pair.probability <= 1, "a probability")
            _ = pair.vector.agreements(table.fields)
        }
        _ = RecordLinkage.clusters(count: table.count, pairs: result.pairs, threshold: settings.threshold)
    }

    /// A DNS answer as a server (or a spoofer) might send it.
    static func dns(_ data: Data) {
        guard let response = try? DNSMessage.parse([UInt8](data)) else { return }
        precondition(response.answers.count <= 200, "at most 200 records are read")
        for (name, record) in response.answers {
            precondition(name.utf8.count <= 255 * 4, "names are bounded")
            if case .mx(_, let exchange) = record { precondition(exchange.utf8.count <= 255 * 4, "names are bounded") }
        }
    }

    /// A vCard file: its cards, each read as a lead; a lead read from one, written as a vCard and read again,
    /// keeps its e-mail address and LinkedIn URL.
    static func vcard(_ data: Data) {
        for card in VCardReader.cards(in: text(data)).prefix(200) {
            guard case .success(let input) = VCardReader.input(card) else { continue }
            let date = Date(timeIntervalSince1970: 0)
            let lead = Lead(
                id: LeadID(rawValue: "l"), workspaceID: WorkspaceID(rawValue: "w"), fields: input.fields, status: .new,
                createdAt: date, updatedAt: date)
            let written = VCardWriter.card(for: LeadDTO(lead, company: nil))
            let again = VCardReader.cards(in: written).first.flatMap { try? VCardReader.input($0).get() }
            precondition(again?.fields.email == input.fields.email, "the e-mail survives a round trip")
            precondition(
                again?.fields.linkedinURL == input.fields.linkedinURL, "the LinkedIn URL survives a round trip")
        }
    }
}
