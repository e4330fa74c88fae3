import Testing
import TesseraTestSupport

@Suite struct XMLCheckTests {
    @Test(arguments: ["<a><b></a></b>", "<a x=1></a>", "<a>x & y</a>", "<a>x < y</a>", "<a>x > y</a>", "<a>", "<a/><b/>",
                      "<a x=\"1\" x=\"2\"/>", "<a>&bogus;</a>", "text<a/>"])
    func rejectsMalformedDocuments(document: String) {
        #expect(throws: XMLError.self) { try XMLCheck.parse(document) }
    }

    @Test func acceptsWellFormedDocuments() throws {
        let node = try XMLCheck.parse("<!DOCTYPE html>\n<a k=\"v &amp; w\"><b/>x &lt; y &#39;z&#39;<!-- c --></a>")
        #expect(node.attributes["k"] == "v & w")
        #expect(node.text == "x < y 'z'")
        #expect(node.children.map(\.name) == ["b"])
    }
}
