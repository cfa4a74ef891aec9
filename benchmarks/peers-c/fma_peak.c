/*
 * The FMA peak of this machine, the figure "% of peak" in the peer table refers to: FLOAT32 and FLOAT64
 * GFLOP/s of one core and of two cores (two threads), measured with ACC independent vector FMA chains
 * (c = c * m + a). ACC covers FMA latency x throughput (4-5 cycles x 2 pipes on Zen 3, Skylake-X, Ice Lake)
 * and, with m and a, fits AVX2's 16 ymm registers, so nothing spills.
 *
 * Built by benchmarks/run-peers as `gcc -O2 -march=native -pthread fma_peak.c`: the vector width follows the
 * compile target (64 bytes with AVX-512, 32 with AVX2 + FMA; other targets are refused). Each figure is the
 * best of REPEATS runs of about SECONDS each (about 1.5 s in all). Prints one JSON object on stdout:
 *   {"cpu": "...", "avx2": true, "avx512f": false, "fma": true, "build": "AVX2+FMA", "vectorBytes": 32,
 *    "accumulators": 12, "gflops": {"FLOAT32": {"1": ..., "2": ...}, "FLOAT64": {"1": ..., "2": ...}}}
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#if defined(__AVX512F__)
#define VBYTES 64
#define BUILD "AVX-512"
#elif defined(__AVX2__) && defined(__FMA__)
#define VBYTES 32
#define BUILD "AVX2+FMA"
#else
#error "fma_peak needs AVX2 with FMA, or AVX-512: compile with -march=native on such a CPU"
#endif

#define ACC 12
#define THREADS 2
#define REPEATS 3
#define SECONDS 0.12

typedef float vf __attribute__((vector_size(VBYTES)));
typedef double vd __attribute__((vector_size(VBYTES)));

/* ACC chains of `iters` FMAs each; m < 1 and a > 0 pull every chain towards a / (1 - m), away from overflow and subnormals. */
#define KERNEL(NAME, V, T, M, A)                                                                     \
    static double NAME(long iters) {                                                                 \
        V m = (V){} + (T)(M), a = (V){} + (T)(A);                                                    \
        V c0 = a + 0, c1 = a + 1, c2 = a + 2, c3 = a + 3, c4 = a + 4, c5 = a + 5; /* distinct starts: no chain */ \
        V c6 = a + 6, c7 = a + 7, c8 = a + 8, c9 = a + 9, c10 = a + 10, c11 = a + 11; /* merges with another */ \
        for (long i = 0; i < iters; i++) {                                                           \
            c0 = c0 * m + a; c1 = c1 * m + a; c2 = c2 * m + a; c3 = c3 * m + a;                      \
            c4 = c4 * m + a; c5 = c5 * m + a; c6 = c6 * m + a; c7 = c7 * m + a;                      \
            c8 = c8 * m + a; c9 = c9 * m + a; c10 = c10 * m + a; c11 = c11 * m + a;                  \
        }                                                                                            \
        V s = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;                           \
        return s[0];                                                                                 \
    }
KERNEL(chains_f32, vf, float, 0.9999999, 1e-7)
KERNEL(chains_f64, vd, double, 0.999999999, 1e-9)

typedef double (*kernel_fn)(long);
typedef struct { kernel_fn kernel; long iters; double result; } job;

static volatile double sink; /* keeps the chains' results live */

static void *run_job(void *arg) {
    job *j = arg;
    j->result = j->kernel(j->iters);
    return NULL;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Wall-clock seconds for `threads` threads each running kernel(iters). */
static double timed(kernel_fn kernel, long iters, int threads) {
    pthread_t t[THREADS];
    job j[THREADS];
    double start = now();
    for (int i = 0; i < threads; i++) {
        j[i] = (job){kernel, iters, 0};
        if (pthread_create(&t[i], NULL, run_job, &j[i]) != 0) { perror("fma_peak: pthread_create"); return -1; }
    }
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    double seconds = now() - start;
    for (int i = 0; i < threads; i++) sink += j[i].result;
    return seconds;
}

/* Best GFLOP/s of `threads` threads over REPEATS runs of about SECONDS (2 flops per FMA lane). */
static double peak(kernel_fn kernel, int lanes, int threads) {
    long iters = 1 << 16;
    double t;
    while ((t = timed(kernel, iters, 1)) < SECONDS / 8) iters *= 2;
    iters = (long)(iters * SECONDS / t);
    double best = 0;
    for (int r = 0; r < REPEATS; r++) {
        double g = 2.0 * ACC * lanes * iters * threads / timed(kernel, iters, threads) / 1e9;
        if (g > best) best = g;
    }
    return best;
}

/* The "model name" line of /proc/cpuinfo (what lscpu prints as Model name), JSON-escaped into out. */
static void cpu_model(char *out, size_t size) {
    char line[512] = "";
    snprintf(out, size, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f == NULL) return;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "model name", 10) != 0) continue;
        char *v = strchr(line, ':');
        if (v == NULL) break;
        for (v++; *v == ' ' || *v == '\t'; v++) {}
        size_t n = 0;
        for (; *v != '\0' && *v != '\n' && n + 2 < size; v++) {
            if (*v == '"' || *v == '\\') out[n++] = '\\';
            out[n++] = *v;
        }
        out[n] = '\0';
        break;
    }
    fclose(f);
}

int main(void) {
    char model[256];
    cpu_model(model, sizeof model);
    __builtin_cpu_init();
    const char *yes[] = {"false", "true"};
    int f32 = VBYTES / sizeof(float), f64 = VBYTES / sizeof(double);
    printf("{\"cpu\": \"%s\", \"avx2\": %s, \"avx512f\": %s, \"fma\": %s, \"build\": \"%s\", \"vectorBytes\": %d, \"accumulators\": %d,\n",
           model, yes[!!__builtin_cpu_supports("avx2")], yes[!!__builtin_cpu_supports("avx512f")], yes[!!__builtin_cpu_supports("fma")],
           BUILD, VBYTES, ACC);
    printf(" \"gflops\": {\"FLOAT32\": {\"1\": %.1f, \"2\": %.1f}, \"FLOAT64\": {\"1\": %.1f, \"2\": %.1f}}}\n",
           peak(chains_f32, f32, 1), peak(chains_f32, f32, THREADS), peak(chains_f64, f64, 1), peak(chains_f64, f64, THREADS));
    return 0;
}
