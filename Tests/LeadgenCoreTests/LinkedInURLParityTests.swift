import Foundation
import LeadgenCore
import Testing

/// The browser extension canonicalizes LinkedIn addresses before it looks people up; it must write them as the
/// server does, or a person it finds would look new. Both read the same cases.
@Suite struct LinkedInURLParityTests {
    struct Case: Decodable {
        var input: String
        var canonical: String?
    }

    struct Cases: Decodable { var cases: [Case] }

    @Test func theServerWritesEachAddressAsTheExtensionDoes() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appending(path: "integrations/chrome_extension/test/fixtures/linkedin-urls.json")
        let cases = try JSONDecoder().decode(Cases.self, from: Data(contentsOf: file)).cases
        #expect(cases.count >= 20)
        for item in cases {
            #expect((try? LinkedInURL(parsing: item.input))?.value == item.canonical, "\(item.input)")
        }
    }
}
