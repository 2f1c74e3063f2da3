package org.archivebridge.conformance.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlText;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * The gate's results as JUnit XML: one test suite per Archive version and transport, one test case per scenario.
 * Written by Jackson's XML mapper from the records below, so escaping and well-formedness are the library's.
 * <p>
 * Not the JUnit Platform's own reporting: that writes what a launcher executed, one suite per test engine, while
 * the gate's loop also feeds the table, the HTML page and the JSON from the same results, and CI reads its suites
 * per matrix cell.
 */
final class GateJunitXml
{
    private static final XmlMapper MAPPER = XmlMapper.builder()
        .enable(ToXmlGenerator.Feature.WRITE_XML_DECLARATION)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .build();

    @JacksonXmlRootElement(localName = "testsuites")
    record TestSuites(
        @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "testsuite")
        List<TestSuite> suites)
    {
    }

    @JsonPropertyOrder({ "name", "tests", "failures", "errors", "time", "testcase" })
    record TestSuite(
        @JacksonXmlProperty(isAttribute = true) String name,
        @JacksonXmlProperty(isAttribute = true) int tests,
        @JacksonXmlProperty(isAttribute = true) long failures,
        @JacksonXmlProperty(isAttribute = true) int errors,
        @JacksonXmlProperty(isAttribute = true) double time,
        @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "testcase")
        List<TestCase> cases)
    {
    }

    @JsonPropertyOrder({ "classname", "name", "time", "failure" })
    record TestCase(
        @JacksonXmlProperty(isAttribute = true) String classname,
        @JacksonXmlProperty(isAttribute = true) String name,
        @JacksonXmlProperty(isAttribute = true) double time,
        @JsonInclude(JsonInclude.Include.NON_NULL) Failure failure)
    {
    }

    record Failure(@JacksonXmlProperty(isAttribute = true) String message, @JacksonXmlText String text)
    {
    }

    private GateJunitXml()
    {
    }

    static String render(final List<GateResult> results)
    {
        final List<TestSuite> suites = results.stream().map(GateResult::target).distinct().map((target) ->
        {
            final List<GateResult> ofTarget = results.stream().filter((result) -> result.target().equals(target))
                .toList();
            return new TestSuite("archive-bridge gate, Aeron " + target, ofTarget.size(),
                ofTarget.stream().filter((result) -> !result.passed()).count(), 0,
                ofTarget.stream().mapToLong(GateJunitXml::elapsedMs).sum() / 1000.0,
                ofTarget.stream().map(GateJunitXml::testCase).toList());
        }).toList();
        try
        {
            return MAPPER.writeValueAsString(new TestSuites(suites));
        }
        catch (final JsonProcessingException ex)
        {
            throw new UncheckedIOException("cannot write the gate's JUnit XML", ex);
        }
    }

    private static TestCase testCase(final GateResult result)
    {
        return new TestCase("gate.aeron-" + result.target(), result.scenario(), elapsedMs(result) / 1000.0,
            result.passed() ? null :
                new Failure("reference, candidate or comparison failed", xmlText(result.verdict().report())));
    }

    private static long elapsedMs(final GateResult result)
    {
        return result.verdict().reference().elapsedMs() + result.verdict().candidate().elapsedMs();
    }

    /** XML 1.0 cannot carry most control characters at all, escaped or not: they are dropped from a failure text. */
    private static String xmlText(final String text)
    {
        return text.codePoints().filter((c) -> c >= 0x20 || c == '\n' || c == '\t' || c == '\r')
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
