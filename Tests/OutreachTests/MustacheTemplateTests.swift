import Foundation
import LeadgenCore
import Testing

@testable import Outreach

/// Mustache templates for outreach: the spec's core (variables, escaping, sections, inverted sections,
/// comments, dotted names), fallbacks for empty values, and positioned errors.
@Suite struct MustacheTemplateTests {
    let values = TemplateValues([
        "first_name": .text("Ada"), "title": .text("VP <Sales> & Ops"),
        "company": .object(["name": .text("Acme"), "domain": .text("acme.example")]),
        "tags": .list([.text("vip"), .text("warm")]),
        "items": .list([.object(["name": .text("one")]), .object(["name": .text("two")])]),
        "empty": .text(""), "flag": .bool(false),
    ])

    func render(_ source: String, html: Bool = false, fallbacks: [String: String] = [:]) throws -> String {
        try MustacheTemplate(parsing: source).render(values, fallbacks: fallbacks, html: html)
    }

    @Test func variablesEscapingAndDottedNames() throws {
        #expect(try render("Hi {{first_name}}, {{ company.name }}!") == "Hi Ada, Acme!")
        #expect(try render("{{title}}", html: true) == "VP &lt;Sales&gt; &amp; Ops")
        #expect(try render("{{{title}}} / {{& title}}", html: true) == "VP <Sales> & Ops / VP <Sales> & Ops")
        #expect(try render("{{title}}") == "VP <Sales> & Ops", "plain text is not escaped")
        #expect(try render("[{{missing}}]") == "[]")
        #expect(try render("a{{! a comment }}b") == "ab")
    }

    @Test func sectionsAndInvertedSections() throws {
        #expect(try render("{{#company}}at {{name}} ({{domain}}){{/company}}") == "at Acme (acme.example)")
        #expect(try render("{{#items}}<{{name}}>{{/items}}") == "<one><two>")
        #expect(try render("{{#tags}}{{.}};{{/tags}}") == "vip;warm;")
        #expect(try render("{{#empty}}shown{{/empty}}{{^empty}}hidden{{/empty}}") == "hidden")
        #expect(try render("{{^flag}}no flag{{/flag}}") == "no flag")
        #expect(try render("{{#items}}{{first_name}}{{/items}}") == "AdaAda", "outer names are seen inside")
    }

    @Test func emptyValuesTakeTheirFallback() throws {
        #expect(try render("Hi {{nickname}}", fallbacks: ["nickname": "there"]) == "Hi there")
        #expect(try render("Hi {{empty}}", fallbacks: ["empty": "there"]) == "Hi there")
        #expect(try render("Hi {{first_name}}", fallbacks: ["first_name": "there"]) == "Hi Ada")
    }

    @Test func malformedTemplatesSayWhere() {
        #expect(throws: MustacheError(message: "the tag opened here is not closed with }}", position: 3)) {
            try MustacheTemplate(parsing: "Hi {{first_name")
        }
        #expect(throws: MustacheError(message: "the section {{#company}} is not closed", position: 0)) {
            try MustacheTemplate(parsing: "{{#company}}x")
        }
        #expect(
            throws: MustacheError(
                message: "{{/tags}} does not close the section {{#company}} opened at position 0", position: 13)
        ) {
            try MustacheTemplate(parsing: "{{#company}}x{{/tags}}")
        }
        #expect(throws: MustacheError(message: "{{/x}} closes no section", position: 0)) {
            try MustacheTemplate(parsing: "{{/x}}")
        }
        #expect(throws: MustacheError(message: "'first name' is not a name", position: 0)) {
            try MustacheTemplate(parsing: "{{first name}}")
        }
    }

    @Test func aLeadsValuesFillATemplateAndEmptyOnesFallBack() throws {
        var fields = LeadFields()
        fields.firstName = "Grace"
        fields.title = "CTO"
        let lead = Lead(
            id: LeadID(rawValue: "l1"), workspaceID: WorkspaceID(rawValue: "w"), companyID: nil, fields: fields,
            status: .new, createdAt: Date(), updatedAt: Date())
        let sender = Sender(name: "Rep", email: "rep@example.com", physicalAddress: "1 Main St, Springfield")
        let template = try MustacheTemplate(
            parsing:
                "Hi {{first_name}}, a question for the {{title}} of {{company.name}}.\n{{sender.name}} · {{sender.address}}"
        )
        let text = template.render(
            MessageVariables.values(lead: lead, company: nil, sender: sender),
            fallbacks: MessageVariables.defaultFallbacks)
        #expect(text == "Hi Grace, a question for the CTO of your company.\nRep · 1 Main St, Springfield")
        var nameless = lead
        nameless.fields.firstName = nil
        #expect(
            try MustacheTemplate(parsing: "Hi {{first_name}},").render(
                MessageVariables.values(lead: nameless, company: nil, sender: sender),
                fallbacks: MessageVariables.defaultFallbacks) == "Hi there,")
    }
}
