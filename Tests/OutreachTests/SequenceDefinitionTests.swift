import Foundation
import LeadgenCore
import Testing

@testable import Outreach

/// Sequence definitions: the steps a team writes in JSON, read whole, every problem named by its path.
@Suite struct SequenceDefinitionTests {
    func read(_ text: String) throws(SequenceDefinitionError) -> SequenceDefinition {
        try SequenceDefinition(json: Data(text.utf8))
    }

    @Test func anEmailWaitConditionSMSSequenceReads() throws {
        let sequence = try read(
            #"""
            {"name": "Outbound Q4",
             "window": {"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:30", "to": "17:00"},
             "holidays": ["2026-12-25"], "fallbacks": {"first_name": "friend"}, "stop_company_on_reply": true,
             "steps": [
               {"id": "intro", "type": "email", "variants": [
                  {"name": "A", "subject": "Quick question, {{first_name}}", "body": "Hi {{first_name}}", "weight": 2},
                  {"name": "B", "subject": "{{company.name}} + us?", "body": "Hello {{first_name}}"}]},
               {"type": "wait", "days": 3, "business_days": true},
               {"type": "condition", "if": "not_opened", "then": "nudge"},
               {"type": "task", "title": "Call {{first_name}}"},
               {"id": "nudge", "type": "sms", "body": "Hi {{first_name}}, did you see my e-mail? Reply STOP to opt out."}]}
            """#)
        #expect(sequence.name == "Outbound Q4")
        #expect(sequence.steps.count == 5)
        #expect(sequence.window == SendWindow(days: [1, 2, 3, 4, 5], from: 8 * 60 + 30, to: 17 * 60))
        #expect(sequence.holidays == ["2026-12-25"])
        #expect(sequence.stopOnReply && sequence.stopCompanyOnReply && !sequence.exclusive)
        guard case .email(let variants) = sequence.steps[0].kind else {
            Issue.record("the first step is an e-mail")
            return
        }
        #expect(variants.map(\.name) == ["A", "B"])
        #expect(variants.map(\.weight) == [2, 1])
        #expect(sequence.steps[1].kind == .wait(days: 3, hours: 0, businessDays: true))
        #expect(sequence.steps[2].kind == .condition(.notEngaged("opened"), then: "nudge", otherwise: nil))
        #expect(sequence.steps[4].id == "nudge")
    }

    @Test func everyProblemIsNamedByItsPath() {
        do {
            _ = try read(
                #"""
                {"steps": [
                   {"type": "email", "subject": "Hi {{first_name", "body": ""},
                   {"type": "wait", "days": 0},
                   {"type": "condition", "if": "bounced", "then": "x"},
                   {"type": "condition", "if": "opened", "then": "nowhere"},
                   {"type": "fax"}],
                 "window": {"days": ["mon", "someday"], "from": "18:00", "to": "09:00"},
                 "holidays": ["25/12/2026"], "colour": "blue"}
                """#)
            Issue.record("the sequence is not valid")
        } catch {
            let paths = error.problems.map(\.path)
            #expect(
                paths == [
                    "colour", "name", "steps[0].subject", "steps[0].body", "steps[1]", "steps[2].if", "steps[4].type",
                    "steps[3].then", "window.days[1]", "window", "holidays[0]",
                ], "\(error)")
            #expect(
                error.description.contains("steps[0].subject: the tag opened here is not closed with }} at position 3"))
            #expect(error.description.contains("steps[3].then: no step has the id 'nowhere'"))
        }
        #expect(throws: SequenceDefinitionError([.init(path: "", message: "not valid JSON")])) {
            try read("{not json")
        }
    }

    @Test func valuesOfTheWrongTypeAreNamedByPathAndType() {
        do {
            _ = try read(
                #"""
                {"name": 7, "steps": [
                   {"type": "email", "variants": []},
                   {"type": "wait", "days": "3"},
                   {"type": "email", "variants": [{"subject": "s", "body": "b", "weight": 1.5}]},
                   "not a step"],
                 "fallbacks": {"first_name": 1}, "exclusive": "yes"}
                """#)
            Issue.record("the sequence is not valid")
        } catch {
            let problems = error.problems.map(\.description)
            #expect(
                problems == [
                    "name: expected a string, got a number", "name: a sequence needs a name",
                    "steps[0].variants: an e-mail step needs at least one variant",
                    "steps[1].days: expected a number, got a string", "steps[1]: a wait needs days or hours above zero",
                    "steps[2].variants[0].weight: expected a whole number",
                    "steps[3]: expected an object, got a string",
                    "fallbacks.first_name: expected a string, got a number",
                    "exclusive: expected true or false, got a string",
                ], "\(error)")
        }
    }
}
