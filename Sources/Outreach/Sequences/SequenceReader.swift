import Foundation
import LeadgenCore

/// Reads a sequence's JSON through a `JSONReader`, collecting every problem with its path instead of stopping
/// at the first.
struct SequenceReader {
    var reader = JSONReader()
    var problems: [JSONProblem] { reader.problems }

    static let weekdays = ["mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7]
    static let events = ["opened", "clicked", "replied"]
    static let fields: Set<String> = [
        "name", "steps", "window", "holidays", "fallbacks", "stop_on_reply", "stop_company_on_reply", "exclusive",
    ]

    mutating func fail(_ path: String, _ message: String) { reader.fail(path, message) }

    mutating func read(_ object: [String: JSON]) -> SequenceDefinition? {
        reader.rejectUnknownKeys(of: object, allowed: Self.fields, at: "", message: "not a sequence field")
        let name = reader.string(object["name"], at: "name")?.trimmingCharacters(in: .whitespaces) ?? ""
        if name.isEmpty { fail("name", "a sequence needs a name") }
        let rawSteps = reader.array(object["steps"], at: "steps") ?? []
        if rawSteps.isEmpty { fail("steps", "a sequence needs at least one step") }
        // Each read step with its place in the JSON, for the paths of later problems.
        var read: [(index: Int, step: SequenceStep)] = []
        for (index, raw) in rawSteps.enumerated() {
            let path = JSONReader.path("steps", index)
            guard let object = reader.object(raw, at: path) else { continue }
            if let step = step(object, at: path, index: index) { read.append((index, step)) }
        }
        let steps = read.map(\.step)
        var ids = Set<String>()
        for (index, step) in read where !ids.insert(step.id).inserted {
            fail("steps[\(index)].id", "the step id '\(step.id)' is used twice")
        }
        for (index, step) in read {
            if case .condition(_, let then, let otherwise) = step.kind {
                for (key, target) in [("then", then), ("else", otherwise)] {
                    guard let target else { continue }
                    if !ids.contains(target) { fail("steps[\(index)].\(key)", "no step has the id '\(target)'") }
                }
            }
        }
        let window = self.window(object["window"])
        var holidays = Set<String>()
        for (index, day) in (reader.array(object["holidays"], at: "holidays") ?? []).enumerated() {
            guard let text = day.stringValue, Self.isDate(text) else {
                fail("holidays[\(index)]", "expected a date YYYY-MM-DD")
                continue
            }
            holidays.insert(text)
        }
        let fallbacks = reader.stringMap(object["fallbacks"], at: "fallbacks") ?? [:]
        return SequenceDefinition(
            name: name, steps: steps, window: window ?? .businessHours, holidays: holidays, fallbacks: fallbacks,
            stopOnReply: reader.bool(object["stop_on_reply"], at: "stop_on_reply") ?? true,
            stopCompanyOnReply: reader.bool(object["stop_company_on_reply"], at: "stop_company_on_reply") ?? false,
            exclusive: reader.bool(object["exclusive"], at: "exclusive") ?? false)
    }

    mutating func step(_ raw: [String: JSON], at path: String, index: Int) -> SequenceStep? {
        func at(_ key: String) -> String { JSONReader.path(path, key) }
        let id = reader.string(raw["id"], at: at("id")) ?? "step-\(index + 1)"
        let type = reader.string(raw["type"], at: at("type")) ?? ""
        switch type {
        case "email":
            var variants: [EmailVariant] = []
            let rawVariants =
                raw["variants"] == nil ? [JSON.object(raw)] : reader.array(raw["variants"], at: at("variants")) ?? []
            if raw["variants"]?.arrayValue?.isEmpty == true {
                fail(at("variants"), "an e-mail step needs at least one variant")
            }
            for (v, rawVariant) in rawVariants.enumerated() {
                let variantPath = raw["variants"] == nil ? path : JSONReader.path(at("variants"), v)
                guard let variant = reader.object(rawVariant, at: variantPath) else { continue }
                func field(_ key: String) -> String { JSONReader.path(variantPath, key) }
                let subject = template(variant["subject"], at: field("subject"), required: true)
                let text = template(variant["body"], at: field("body"), required: true)
                let html = template(variant["html"], at: field("html"), required: false)
                let weight = reader.integer(variant["weight"], at: field("weight"), in: Int.min...Int.max) ?? 1
                if weight < 1 { fail(field("weight"), "a positive share") }
                if let subject, let text {
                    variants.append(
                        EmailVariant(
                            name: reader.string(variant["name"], at: field("name"))
                                ?? String(UnicodeScalar(UInt8(65 + v % 26))),
                            subject: subject, text: text, html: html, weight: max(1, weight)))
                }
            }
            return variants.count == rawVariants.count && !variants.isEmpty
                ? SequenceStep(id: id, kind: .email(variants: variants)) : nil
        case "sms":
            guard let source = reader.string(raw["body"], at: at("body")),
                let body = template(.string(source), at: at("body"), required: true)
            else {
                if raw["body"] == nil { fail(at("body"), "an SMS needs a body") }
                return nil
            }
            return SequenceStep(id: id, kind: .sms(body: body, source: source))
        case "wait":
            let days = reader.integer(raw["days"], at: at("days"), in: Int.min...Int.max) ?? 0
            let hours = reader.integer(raw["hours"], at: at("hours"), in: Int.min...Int.max) ?? 0
            // A wait longer than ten years is a typo, and its arithmetic could overflow.
            guard (0...Self.maxWaitDays).contains(days), (0...Self.maxWaitDays * 24).contains(hours) else {
                fail(path, "a wait is at most \(Self.maxWaitDays) days and \(Self.maxWaitDays * 24) hours")
                return nil
            }
            guard days + hours > 0 else {
                fail(path, "a wait needs days or hours above zero")
                return nil
            }
            let businessDays = reader.bool(raw["business_days"], at: at("business_days")) ?? false
            return SequenceStep(id: id, kind: .wait(days: days, hours: hours, businessDays: businessDays))
        case "condition":
            guard let then = reader.string(raw["then"], at: at("then")) else {
                fail(at("then"), "a condition needs the id of the step it goes to")
                return nil
            }
            let otherwise = reader.string(raw["else"], at: at("else"))
            if let event = reader.string(raw["if"], at: at("if")) {
                let negated = event.hasPrefix("not_")
                let name = negated ? String(event.dropFirst(4)) : event
                guard Self.events.contains(name) else {
                    fail(at("if"), "one of \(Self.events.flatMap { [$0, "not_" + $0] }.joined(separator: ", "))")
                    return nil
                }
                return SequenceStep(
                    id: id,
                    kind: .condition(negated ? .notEngaged(name) : .engaged(name), then: then, otherwise: otherwise))
            }
            if let field = reader.string(raw["field"], at: at("field")),
                let equals = reader.string(raw["equals"], at: at("equals"))
            {
                return SequenceStep(
                    id: id, kind: .condition(.field(field, equals: equals), then: then, otherwise: otherwise))
            }
            fail(path, "a condition needs \"if\" (opened, clicked, replied, not_…) or \"field\" with \"equals\"")
            return nil
        case "task":
            guard let title = reader.string(raw["title"], at: at("title")), !title.isEmpty else {
                fail(at("title"), "a task needs a title")
                return nil
            }
            return SequenceStep(id: id, kind: .task(title: title))
        case "webhook":
            guard let text = reader.string(raw["url"], at: at("url")), let url = URL(string: text),
                url.scheme == "https" || url.scheme == "http", url.host != nil
            else {
                fail(at("url"), "an http or https URL")
                return nil
            }
            return SequenceStep(id: id, kind: .webhook(url: url))
        default:
            fail(at("type"), "one of email, sms, wait, condition, task, webhook")
            return nil
        }
    }

    mutating func template(_ value: JSON?, at path: String, required: Bool) -> MustacheTemplate? {
        guard let text = reader.string(value, at: path), !text.isEmpty else {
            if required { fail(path, "required") }
            return nil
        }
        do { return try MustacheTemplate(parsing: text) } catch {
            fail(path, error.description)
            return nil
        }
    }

    mutating func window(_ value: JSON?) -> SendWindow? {
        guard let value else { return nil }
        guard let object = value.objectValue else {
            fail("window", "expected {\"days\": [\"mon\", …], \"from\": \"09:00\", \"to\": \"17:00\"}")
            return nil
        }
        var days = Set<Int>()
        let weekdays =
            reader.array(object["days"], at: "window.days")
            ?? ["mon", "tue", "wed", "thu", "fri"].map { JSON.string($0) }
        for (index, day) in weekdays.enumerated() {
            guard let text = day.stringValue, let number = Self.weekdays[text.lowercased()] else {
                fail("window.days[\(index)]", "one of mon, tue, wed, thu, fri, sat, sun")
                continue
            }
            days.insert(number)
        }
        let from = minutes(object["from"] ?? .string("09:00"), at: "window.from")
        let to = minutes(object["to"] ?? .string("17:00"), at: "window.to")
        guard let from, let to else { return nil }
        if from >= to { fail("window", "from must be before to") }
        if days.isEmpty { fail("window.days", "at least one day") }
        return SendWindow(days: days, from: from, to: to)
    }

    mutating func minutes(_ value: JSON, at path: String) -> Int? {
        let parts = (value.stringValue ?? "").split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, (0...24).contains(parts[0]), (0...59).contains(parts[1]),
            parts[0] * 60 + parts[1] <= 1440
        else {
            fail(path, "expected HH:MM")
            return nil
        }
        return parts[0] * 60 + parts[1]
    }

    /// The longest wait a step may ask for.
    static let maxWaitDays = 3650

    /// YYYY-MM-DD in ASCII digits (other scripts' digits and fractions such as "½" are not dates).
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].utf8.count == 4, parts[1].utf8.count == 2, parts[2].utf8.count == 2,
            parts.allSatisfy({ $0.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }),
            let month = Int(parts[1]), let day = Int(parts[2])
        else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }
}
