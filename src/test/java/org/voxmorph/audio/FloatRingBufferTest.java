package org.voxmorph.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FloatRingBufferTest {

    @Test
    void carriesEverySampleInOrderBetweenTwoThreads() throws Exception {
        FloatRingBuffer ring = new FloatRingBuffer(1000);
        assertEquals(1024, ring.capacity());
        int total = 5_000_000;
        Thread producer = new Thread(() -> {
            Random rnd = new Random(1);
            float[] buf = new float[700];
            int next = 0;
            while (next < total) {
                int n = Math.min(1 + rnd.nextInt(buf.length), total - next);
                for (int i = 0; i < n; i++) {
                    buf[i] = next + i;
                }
                int done = 0;
                while (done < n) {
                    done += ring.write(buf, done, n - done);
                }
                next += n;
            }
        });
        producer.start();
        Random rnd = new Random(2);
        float[] buf = new float[500];
        int expected = 0;
        long mismatches = 0;
        while (expected < total) {
            int got = ring.read(buf, 0, 1 + rnd.nextInt(buf.length));
            for (int i = 0; i < got; i++) {
                if (buf[i] != (float) expected) {
                    mismatches++;
                }
                expected++;
            }
        }
        producer.join();
        assertEquals(0, mismatches);
        assertEquals(0, ring.available());
    }

    @Test
    void writeStopsWhenFullAndSkipDropsOldest() {
        FloatRingBuffer ring = new FloatRingBuffer(8);
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(8, ring.write(x, 0, 10));
        assertEquals(0, ring.free());
        assertEquals(3, ring.skip(3));
        float[] out = new float[5];
        assertEquals(5, ring.read(out, 0, 5));
        assertEquals(4f, out[0]);
        assertEquals(8f, out[4]);
    }
}
