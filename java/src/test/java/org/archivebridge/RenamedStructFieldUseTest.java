package org.archivebridge;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import org.archivebridge.binding.ArchiveBridgeLibrary;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/*
 * JavaCPP renames a struct field whose name is also a method of Pointer (position -> _position, and likewise limit,
 * capacity, address...). Calling the unrenamed name on a struct compiles, but calls Pointer's method: position(long)
 * moves the pointer, which is how the replay params conversion corrupted the native heap (issue 10, defect 1). This
 * test compiles the hand-written sources with javac's own type attribution and fails on any call, on an instance of
 * a generated struct class, of a Pointer method whose name is one of that struct's renamed fields.
 */
class RenamedStructFieldUseTest
{
    private static final Path SOURCES = Path.of("src", "main", "java");

    @Test
    void handWrittenCodeReachesRenamedFieldsOnlyThroughTheirRenamedAccessors() throws IOException
    {
        final Map<String, Set<String>> renamed = renamedFields();
        // The bindings do rename fields (the struct layouts of abr_archive.h and abr_client.h guarantee some).
        assertTrue(renamed.getOrDefault("abr_archive_replay_params_t", Set.of()).contains("position"),
            "renamed fields: " + renamed);

        final List<String> misuses = misusesIn(handWrittenSources(), renamed);
        assertEquals(List.of(), misuses, "Pointer methods called on binding structs where a field was meant");
    }

    @Test
    void theCheckFindsTheCallThatCausedDefectOne() throws IOException
    {
        final Path dir = Files.createTempDirectory("renamed-field-use");
        final Path source = dir.resolve("org/archivebridge/Defect1.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, String.join("\n",
            "package org.archivebridge;",
            "import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_params_t;",
            "final class Defect1",
            "{",
            "    static abr_archive_replay_params_t convert(final io.aeron.archive.client.ReplayParams params)",
            "    {",
            "        final abr_archive_replay_params_t nativeParams = new abr_archive_replay_params_t();",
            "        return nativeParams",
            "            .position(params.position())",
            "            .length(params.length());",
            "    }",
            "    static long ok(final abr_archive_replay_params_t nativeParams)",
            "    {",
            "        return nativeParams._position(1).length(2)._position() + nativeParams.address();",
            "    }",
            "}",
            ""));
        final List<Path> sources = new ArrayList<>(handWrittenSources());
        sources.add(source);
        final List<String> misuses = misusesIn(sources, renamedFields()).stream()
            .filter((misuse) -> misuse.startsWith("Defect1.java:")).toList();
        assertEquals(1, misuses.size(), misuses.toString());
        assertTrue(misuses.get(0).contains("Defect1.java:9") && misuses.get(0).contains("position"), misuses.get(0));
    }

    /* For each generated struct class, the C names of its fields that JavaCPP renamed because Pointer has them. */
    static Map<String, Set<String>> renamedFields()
    {
        final Map<String, Set<String>> renamed = new TreeMap<>();
        for (final Class<?> nested : ArchiveBridgeLibrary.class.getDeclaredClasses())
        {
            if (!Pointer.class.isAssignableFrom(nested))
            {
                continue;
            }
            for (final Method method : nested.getDeclaredMethods())
            {
                final org.bytedeco.javacpp.annotation.Name name =
                    method.getAnnotation(org.bytedeco.javacpp.annotation.Name.class);
                if (null != name && method.getName().startsWith("_") &&
                    method.getName().substring(1).equals(name.value()[0]))
                {
                    renamed.computeIfAbsent(nested.getSimpleName(), (k) -> new TreeSet<>()).add(name.value()[0]);
                }
            }
        }
        return renamed;
    }

    private static List<Path> handWrittenSources() throws IOException
    {
        try (Stream<Path> files = Files.walk(SOURCES))
        {
            final List<Path> sources = files.filter((p) -> p.toString().endsWith(".java")).sorted().toList();
            assertTrue(sources.size() > 10, "hand-written sources under " + SOURCES.toAbsolutePath() + ": " + sources);
            return sources;
        }
    }

    private static List<String> misusesIn(final List<Path> sources, final Map<String, Set<String>> renamed)
        throws IOException
    {
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "a JDK's compiler (the tests run on a JDK)");
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, null))
        {
            final JavacTask task = (JavacTask)compiler.getTask(null, files, diagnostics,
                List.of("-proc:none", "-classpath", System.getProperty("java.class.path")), null,
                files.getJavaFileObjectsFromPaths(sources));
            final Iterable<? extends CompilationUnitTree> units = task.parse();
            task.analyze();
            final Trees trees = Trees.instance(task);
            final TypeElement pointer = task.getElements().getTypeElement(Pointer.class.getName());
            final List<String> misuses = new ArrayList<>();
            for (final CompilationUnitTree unit : units)
            {
                new TreePathScanner<Void, Void>()
                {
                    @Override
                    public Void visitMethodInvocation(final MethodInvocationTree call, final Void unused)
                    {
                        if (call.getMethodSelect() instanceof MemberSelectTree select)
                        {
                            final Element method = trees.getElement(getCurrentPath());
                            final TypeMirror receiver = trees.getTypeMirror(
                                new com.sun.source.util.TreePath(getCurrentPath(), select.getExpression()));
                            if (method instanceof ExecutableElement && receiver instanceof DeclaredType declared &&
                                isPointerMethod((ExecutableElement)method, pointer, task))
                            {
                                final String struct = declared.asElement().getSimpleName().toString();
                                final String name = method.getSimpleName().toString();
                                if (renamed.getOrDefault(struct, Set.of()).contains(name))
                                {
                                    misuses.add(Path.of(unit.getSourceFile().toUri()).getFileName() + ":" +
                                        lineOf(unit, trees, call) + " calls Pointer." + name + " on " + struct +
                                        " (its field is _" + name + "): " + call);
                                }
                            }
                        }
                        return super.visitMethodInvocation(call, unused);
                    }
                }.scan(unit, null);
            }
            return misuses;
        }
    }

    /* Pointer's own method, or a generated class's override of it (the structs override position(long)). */
    private static boolean isPointerMethod(
        final ExecutableElement method, final TypeElement pointer, final JavacTask task)
    {
        if (method.getEnclosingElement().equals(pointer))
        {
            return true;
        }
        for (final Element member : pointer.getEnclosedElements())
        {
            if (member instanceof ExecutableElement pointerMethod &&
                task.getElements().overrides(method, pointerMethod, (TypeElement)method.getEnclosingElement()))
            {
                return true;
            }
        }
        return false;
    }

    /* The line of the method name, not of the chain's start: a chained call spans lines. */
    private static long lineOf(final CompilationUnitTree unit, final Trees trees, final MethodInvocationTree call)
    {
        final long end = trees.getSourcePositions().getEndPosition(unit, call.getMethodSelect());
        return unit.getLineMap().getLineNumber(end);
    }
}
