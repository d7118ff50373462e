package dev.proflab.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The names come from recordings of scripts/diff-calibration/GeneratedFrames.java (JDK 17.0.15 and 25.0.3,
 * async-profiler 4.5 and JDK Flight Recorder), as {@code Frame.name()} gives them after reading, unless said.
 */
class GeneratedNamesTest {

    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
        // hidden classes: the address of the class goes (async-profiler, JDK 25 and 17)
        "java.lang.invoke.LambdaForm$DMH.0x0000000048041c00.invokeVirtual java.lang.invoke.LambdaForm$DMH.invokeVirtual",
        "java.lang.invoke.LambdaForm$DMH.0x000000004804c400.invokeStatic java.lang.invoke.LambdaForm$DMH.invokeStatic",
        "java.lang.invoke.LambdaForm$MH.0x00007f0ca8002800.invokeExact_MT java.lang.invoke.LambdaForm$MH.invokeExact_MT",
        "java.lang.invoke.LambdaForm$MH.0x000000004804b800.linkToTargetMethod java.lang.invoke.LambdaForm$MH.linkToTargetMethod",
        "java.lang.String$$StringConcat.0x000000004804a400.concat java.lang.String$$StringConcat.concat",
        // the forms the JVM itself writes (JFR's class names before reading; a bound method handle's class)
        "java.lang.invoke.LambdaForm$BMH/0x0000000800c0b400.reinvoke java.lang.invoke.LambdaForm$BMH.reinvoke",
        "java.lang.invoke.LambdaForm$MH+0x0000000800c0a800.invoke java.lang.invoke.LambdaForm$MH.invoke",
        "Foo$$Lambda.0x0000000091042400 Foo$$Lambda",
        "Foo$$Lambda/0x12ab34cd.run Foo$$Lambda.run",
        // lambda numbering (JDK 17) and JDK 8's anonymous classes
        "Workload$$Lambda$14.0x0000000800c03000.apply Workload$$Lambda.apply",
        "Workload$$Lambda$14/0x0000000800c03000.apply Workload$$Lambda.apply",
        "Foo$$Lambda$1/1234567.run Foo$$Lambda.run",
        "java.lang.invoke.LambdaForm$MH/1283928880.invokeExact_MT java.lang.invoke.LambdaForm$MH.invokeExact_MT",
        // reflection accessors of JDK 17 (async-profiler numbered them 1, JFR 7 and 18: its own reflection came first)
        "jdk.internal.reflect.GeneratedMethodAccessor1.invoke jdk.internal.reflect.GeneratedMethodAccessor.invoke",
        "jdk.internal.reflect.GeneratedMethodAccessor7.invoke jdk.internal.reflect.GeneratedMethodAccessor.invoke",
        "jdk.internal.reflect.GeneratedConstructorAccessor18.newInstance jdk.internal.reflect.GeneratedConstructorAccessor.newInstance",
        "jdk.internal.reflect.GeneratedSerializationConstructorAccessor1.newInstance jdk.internal.reflect.GeneratedSerializationConstructorAccessor.newInstance",
        "sun.reflect.GeneratedMethodAccessor123.invoke sun.reflect.GeneratedMethodAccessor.invoke",
        // proxies: in a dynamic module's package jdk.proxyN, or in the package of a package-private interface
        "jdk.proxy1.$Proxy0.applyAsLong jdk.proxy.$Proxy.applyAsLong",
        "jdk.proxy2.$Proxy24.applyAsLong jdk.proxy.$Proxy.applyAsLong",
        "$Proxy1.work $Proxy.work",
        "$Proxy25.work $Proxy.work",
        "com.sun.proxy.$Proxy12.invoke com.sun.proxy.$Proxy.invoke",
        "com.example.$Proxy7 com.example.$Proxy",
    })
    void generatedNamesLoseWhatDiffersBetweenRuns(String raw, String stable) {
        assertThat(GeneratedNames.normalize(raw)).isEqualTo(stable);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Workload.checksum",
        "java.util.TimSort.mergeLo",
        "Workload.lambda$tokenize$0",
        "java.util.Comparator.lambda$comparing$77a9974f$1",
        "Workload$$Lambda.apply",
        "java.lang.invoke.LambdaForm$DMH.invokeSpecial",
        "java.lang.invoke.BoundMethodHandle$Species_LJ.make",
        "jdk.internal.reflect.DirectMethodHandleAccessor.invoke",
        "jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke",
        "java.io.ObjectInputStream.readNonProxyDesc",
        "java.lang.reflect.Proxy$ProxyBuilder.build",
        "I2C/C2I adapters(0xbbe)",
        "Type::Initialize_shared(Compile*)::{lambda(void const*, void const*)#1}::_FUN",
        "libfoo.so+0x1a2b3",
        "Outer$Proxy1.run",
        "jdk.proxy1.Other",
        "GeneratedMethodAccessorFactory.make",
        "Foo$$Lambda$.run",
        "a/b",
        "x.0x123456789.run",
        "",
        "$",
        "0x0000000048041c00",
    })
    void otherNamesAreTheSameInstance(String name) {
        assertThat(GeneratedNames.normalize(name)).isSameAs(name);
    }

    @Test
    void nullIsNull() {
        assertThat(GeneratedNames.normalize(null)).isNull();
    }

    @Test
    void aLongHostileNameTakesOnePass() {
        // candidates that fail late, one after the other: work quadratic in the length would take minutes here
        String name = "$$Lambda$x".repeat(200_000) + ".jdk.proxy1x".repeat(100_000) + ".0x0000000".repeat(100_000)
                + ".GeneratedMethodAccessor1x".repeat(50_000) + ".$Proxy1x".repeat(100_000) + "/1x".repeat(100_000);
        assertThat(GeneratedNames.normalize(name) == name).as("the same instance").isTrue();
        String many = "a$$Lambda$12/0x0000000800c03000.run".repeat(100_000);
        assertThat(GeneratedNames.normalize(many).equals("a$$Lambda.run".repeat(100_000))).isTrue();
    }
}
