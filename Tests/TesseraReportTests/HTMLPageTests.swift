import Testing
import TesseraReport
import TesseraTestSupport

@Suite struct HTMLPageTests {
    @Test func shellIsWellFormedAndSelfContained() throws {
        let html = HTMLPage.render(title: "A <b> & \"c\"", lead: "lead <em>text</em>", body: "<h2>Body</h2>\n",
                                   footer: "foot", css: "p.extra{color:red}")
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        let page = try XMLCheck.parse(html)
        #expect(page.elements("title").first?.text == "A <b> & \"c\"")
        #expect(page.elements("h1").map(\.text) == ["A <b> & \"c\""])
        #expect(page.elements("p", class: "lead").first?.allText == "lead text")
        #expect(page.elements("h2").map(\.text) == ["Body"])
        #expect(page.elements("footer").map(\.text) == ["foot"])
        let style = try #require(page.elements("style").first?.text)
        #expect(style.hasPrefix("body{") && style.hasSuffix("p.extra{color:red}"))
        #expect(page.all.contains { $0.name == "script" || $0.name == "link" } == false)
        #expect(!html.contains("http"))
    }
}
