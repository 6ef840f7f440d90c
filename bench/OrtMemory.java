import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import java.lang.reflect.Method;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ONNX Runtime's own memory and CPU time for the catalogue's models, without the pipeline: each
 * named model loaded as mattepipe loads it (one output kept, 2 intra-op threads, memory pattern
 * off), then N runs of each on one thread, printing the process's peak RSS (VmHWM) and CPU time
 * per image. The options to compare come as system properties: -Dopt=ALL_OPT|EXTENDED_OPT|BASIC_OPT,
 * -Darena=true|false. Run with a small heap so that the RSS is mostly native:
 *
 *   mvn -q package -DskipTests
 *   java -Xmx1g -Dopt=ALL_OPT -cp target/mattepipe.jar bench/OrtMemory.java models isnet-fp16 u2netp 3
 *   java -Xmx1g -Dopt=EXTENDED_OPT -cp target/mattepipe.jar bench/OrtMemory.java models isnet-fp16 u2netp 3
 */
public class OrtMemory {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<String> names = Arrays.asList(args).subList(1, args.length - 1);
        int runs = Integer.parseInt(args[args.length - 1]);
        // the same one-output graph the application loads (GraphEdit is package-private: reflection)
        Method rewrite = Class.forName("io.mattepipe.model.GraphEdit")
                .getDeclaredMethod("rewrite", byte[].class, String.class, String.class, boolean.class);
        rewrite.setAccessible(true);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OrtSession> sessions = new ArrayList<>();
        List<float[]> inputs = new ArrayList<>();
        List<String> inputNames = new ArrayList<>();
        for (String name : names) {
            boolean u2 = name.startsWith("u2netp");
            String input = u2 ? "input.1" : "input";
            int size = u2 ? 320 : 1024;
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setMemoryPatternOptimization(false);
            options.setCPUArenaAllocator(Boolean.parseBoolean(System.getProperty("arena", "true")));
            options.setIntraOpNumThreads(2);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.valueOf(System.getProperty("opt", "EXTENDED_OPT")));
            for (Map.Entry<String, String> entry : entries(System.getProperty("config", "")).entrySet()) {
                options.addConfigEntry(entry.getKey(), entry.getValue());
            }
            byte[] graph = (byte[]) rewrite.invoke(null, Files.readAllBytes(dir.resolve(name + ".onnx")), input, u2 ? "1959" : "output", false);
            sessions.add(env.createSession(graph, options));
            float[] tensor = new float[3 * size * size];
            Arrays.fill(tensor, 0.1f);
            inputs.add(tensor);
            inputNames.add(input);
        }
        System.gc();
        trim();
        System.out.printf(Locale.ROOT, "loaded: RSS %d MB, peak %d MB, heap used %d MB%n", statusMb("VmRSS:"), peakRssMb(),
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        OrtSession.RunOptions runOptions = new OrtSession.RunOptions();
        for (Map.Entry<String, String> entry : entries(System.getProperty("run", "")).entrySet()) {
            runOptions.addRunConfigEntry(entry.getKey(), entry.getValue());
        }
        long cpu = cpuNanos();
        for (int run = 0; run < runs; run++) {
            for (int m = 0; m < sessions.size(); m++) {
                int size = (int) Math.sqrt(inputs.get(m).length / 3);
                try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(inputs.get(m)), new long[] {1, 3, size, size});
                     OrtSession.Result result = sessions.get(m).run(Map.of(inputNames.get(m), x), runOptions)) {
                    result.get(0);
                }
                trim();
            }
        }
        System.out.printf(Locale.ROOT, "%s opt=%s arena=%s config=[%s] run=[%s]: peak RSS %d MB, CPU %.2f s per image%n", String.join("+", names),
                System.getProperty("opt", "EXTENDED_OPT"), System.getProperty("arena", "true"),
                System.getProperty("config", ""), System.getProperty("run", ""), peakRssMb(),
                (cpuNanos() - cpu) / 1e9 / runs);
    }

    /** "key=value;key=value" as a map, for ONNX Runtime's session and run config entries. */
    private static Map<String, String> entries(String text) {
        Map<String, String> entries = new java.util.LinkedHashMap<>();
        for (String pair : text.split(";")) {
            if (!pair.isBlank()) {
                entries.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        return entries;
    }

    /** With -Dtrim=true, glibc's free memory back to the system (jcmd System.trim_native_heap). */
    private static void trim() throws Exception {
        if (Boolean.getBoolean("trim")) {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
                    new Object[] {null}, new String[] {String[].class.getName()});
            System.out.print(out);
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long peakRssMb() throws Exception {
        return statusMb("VmHWM:");
    }

    private static long statusMb(String key) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
            }
        }
        return -1;
    }
}
