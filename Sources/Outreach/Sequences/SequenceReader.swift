import Foundation

/// Reads a sequence's JSON, collecting every problem with its path instead of stopping at the first.
struct SequenceReader {
    var problems: [SequenceDefinitionError.Problem] = []

    static let weekdays = ["mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7]
    static let events = ["opened", "clicked", "replied"]

    mutating func fail(_ path: String, _ message: String) {
        problems.append(.init(path: path, message: message))
    }

    mutating func read(_ object: [String: Any]) -> SequenceDefinition? {
        let known: Set<String> = [
            "name", "steps", "window", "holidays", "fallbacks", "stop_on_reply", "stop_company_on_reply", "exclusive",
        ]
        for key in object.keys.sorted() where !known.contains(key) { fail(key, "not a sequence field") }
        let name = (object["name"] as? String)?.trimmingCharacters(in: .whitespaces) ?? ""
        if name.isEmpty { fail("name", "a sequence needs a name") }
        let rawSteps = object["steps"] as? [[String: Any]] ?? []
        if rawSteps.isEmpty { fail("steps", "a sequence needs at least one step") }
        // Each read step with its place in the JSON, for the paths of later problems.
        var read: [(index: Int, step: SequenceStep)] = []
        for (index, raw) in rawSteps.enumerated() {
            if let step = step(raw, at: "steps[\(index)]", index: index) { read.append((index, step)) }
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
        for (index, day) in (object["holidays"] as? [Any] ?? []).enumerated() {
            guard let text = day as? String, Self.isDate(text) else {
                fail("holidays[\(index)]", "expected a date YYYY-MM-DD")
                continue
            }
            holidays.insert(text)
        }
        var fallbacks: [String: String] = [:]
        if let raw = object["fallbacks"] {
            if let map = raw as? [String: String] {
                fallbacks = map
            } else {
                fail("fallbacks", "expected {\"name\": \"text\"}")
            }
        }
        func flag(_ key: String, _ defaultValue: Bool) -> Bool {
            guard let value = object[key] else { return defaultValue }
            guard let bool = value as? Bool else {
                fail(key, "expected true or false")
                return defaultValue
            }
            return bool
        }
        return SequenceDefinition(
            name: name, steps: steps, window: window ?? .businessHours, holidays: holidays, fallbacks: fallbacks,
            stopOnReply: flag("stop_on_reply", true), stopCompanyOnReply: flag("stop_company_on_reply", false),
            exclusive: flag("exclusive", false))
    }

    mutating func step(_ raw: [String: Any], at path: String, index: Int) -> SequenceStep? {
        let id = (raw["id"] as? String) ?? "step-\(index + 1)"
        let type = raw["type"] as? String ?? ""
        switch type {
        case "email":
            var variants: [EmailVariant] = []
            let rawVariants = raw["variants"] as? [[String: Any]] ?? [raw]
            for (v, variant) in rawVariants.enumerated() {
                let variantPath = raw["variants"] == nil ? path : "\(path).variants[\(v)]"
                let subject = template(variant["subject"], at: "\(variantPath).subject", required: true)
                let text = template(variant["body"], at: "\(variantPath).body", required: true)
                let html = template(variant["html"], at: "\(variantPath).html", required: false)
                let weight = variant["weight"] as? Int ?? 1
                if weight < 1 { fail("\(variantPath).weight", "a positive share") }
                if let subject, let text {
                    variants.append(
                        EmailVariant(
                            name: variant["name"] as? String ?? String(UnicodeScalar(UInt8(65 + v % 26))),
                            subject: subject, text: text, html: html, weight: max(1, weight)))
                }
            }
            return variants.count == rawVariants.count ? SequenceStep(id: id, kind: .email(variants: variants)) : nil
        case "sms":
            guard let source = raw["body"] as? String, let body = template(source, at: "\(path).body", required: true)
            else {
                if raw["body"] == nil { fail("\(path).body", "an SMS needs a body") }
                return nil
            }
            return SequenceStep(id: id, kind: .sms(body: body, source: source))
        case "wait":
            let days = raw["days"] as? Int ?? 0
            let hours = raw["hours"] as? Int ?? 0
            // A wait longer than ten years is a typo, and its arithmetic could overflow.
            guard (0...Self.maxWaitDays).contains(days), (0...Self.maxWaitDays * 24).contains(hours) else {
                fail(path, "a wait is at most \(Self.maxWaitDays) days and \(Self.maxWaitDays * 24) hours")
                return nil
            }
            guard days + hours > 0 else {
                fail(path, "a wait needs days or hours above zero")
                return nil
            }
            return SequenceStep(
                id: id, kind: .wait(days: days, hours: hours, businessDays: raw["business_days"] as? Bool ?? false))
        case "condition":
            guard let then = raw["then"] as? String else {
                fail("\(path).then", "a condition needs the id of the step it goes to")
                return nil
            }
            let otherwise = raw["else"] as? String
            if let event = raw["if"] as? String {
                let negated = event.hasPrefix("not_")
                let name = negated ? String(event.dropFirst(4)) : event
                guard Self.events.contains(name) else {
                    fail("\(path).if", "one of \(Self.events.flatMap { [$0, "not_" + $0] }.joined(separator: ", "))")
                    return nil
                }
                return SequenceStep(
                    id: id,
                    kind: .condition(negated ? .notEngaged(name) : .engaged(name), then: then, otherwise: otherwise))
            }
            if let field = raw["field"] as? String, let equals = raw["equals"] as? String {
                return SequenceStep(
                    id: id, kind: .condition(.field(field, equals: equals), then: then, otherwise: otherwise))
            }
            fail(path, "a condition needs \"if\" (opened, clicked, replied, not_…) or \"field\" with \"equals\"")
            return nil
        case "task":
            guard let title = raw["title"] as? String, !title.isEmpty else {
                fail("\(path).title", "a task needs a title")
                return nil
            }
            return SequenceStep(id: id, kind: .task(title: title))
        case "webhook":
            guard let text = raw["url"] as? String, let url = URL(string: text),
                url.scheme == "https" || url.scheme == "http", url.host != nil
            else {
                fail("\(path).url", "an http or https URL")
                return nil
            }
            return SequenceStep(id: id, kind: .webhook(url: url))
        default:
            fail("\(path).type", "one of email, sms, wait, condition, task, webhook")
            return nil
        }
    }

    mutating func template(_ value: Any?, at path: String, required: Bool) -> MustacheTemplate? {
        guard let text = value as? String, !text.isEmpty else {
            if required { fail(path, "required") }
            return nil
        }
        do { return try MustacheTemplate(parsing: text) } catch {
            fail(path, error.description)
            return nil
        }
    }

    mutating func window(_ value: Any?) -> SendWindow? {
        guard let value else { return nil }
        guard let object = value as? [String: Any] else {
            fail("window", "expected {\"days\": [\"mon\", …], \"from\": \"09:00\", \"to\": \"17:00\"}")
            return nil
        }
        var days = Set<Int>()
        for (index, day) in (object["days"] as? [Any] ?? ["mon", "tue", "wed", "thu", "fri"]).enumerated() {
            guard let text = day as? String, let number = Self.weekdays[text.lowercased()] else {
                fail("window.days[\(index)]", "one of mon, tue, wed, thu, fri, sat, sun")
                continue
            }
            days.insert(number)
        }
        let from = minutes(object["from"] ?? "09:00", at: "window.from")
        let to = minutes(object["to"] ?? "17:00", at: "window.to")
        guard let from, let to else { return nil }
        if from >= to { fail("window", "from must be before to") }
        if days.isEmpty { fail("window.days", "at least one day") }
        return SendWindow(days: days, from: from, to: to)
    }

    mutating func minutes(_ value: Any, at path: String) -> Int? {
        let parts = (value as? String ?? "").split(separator: ":").compactMap { Int($0) }
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
