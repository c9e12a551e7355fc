package io.poolstate.dex.quote;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.v4.HookPermission;
import io.poolstate.dex.v4.LpFee;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Hook permission combinations → quote support, from the flag bits of the hooks address. */
class QuoteSupportTest {
    private static final int DYNAMIC = LpFee.DYNAMIC_FEE_FLAG;

    @ParameterizedTest(name = "flags={0} fee={1} -> {2} {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # flags (hex, '-' = no hooks contract) | key fee | support | permissions named (refused) / dynamic LP fee (exact)
            -     | 3000    | exact   | static
            -     | 8388608 | refused | invalid
            0000  | 3000    | refused | invalid
            0000  | 8388608 | exact   | dynamic
            2000  | 3000    | exact   | static
            1000  | 3000    | exact   | static
            0800  | 3000    | exact   | static
            0400  | 3000    | exact   | static
            0200  | 3000    | exact   | static
            0100  | 3000    | exact   | static
            0080  | 3000    | refused | beforeSwap
            0040  | 3000    | refused | afterSwap
            0020  | 3000    | exact   | static
            0010  | 3000    | exact   | static
            0008  | 3000    | refused | invalid
            0004  | 3000    | refused | invalid
            0002  | 3000    | refused | invalid
            0001  | 3000    | refused | invalid
            0088  | 3000    | refused | beforeSwap beforeSwapReturnDelta
            0044  | 3000    | refused | afterSwap afterSwapReturnDelta
            00cc  | 500     | refused | beforeSwap afterSwap beforeSwapReturnDelta afterSwapReturnDelta
            0402  | 3000    | exact   | static
            0101  | 3000    | exact   | static
            0503  | 500     | exact   | static
            3f33  | 3000    | exact   | static
            3fff  | 3000    | refused | beforeSwap afterSwap beforeSwapReturnDelta afterSwapReturnDelta
            1000  | 8388608 | exact   | dynamic
            3f30  | 8388608 | exact   | dynamic
            1080  | 8388608 | refused | beforeSwap
            0080  | 8388608 | refused | beforeSwap
            00c4  | 8388608 | refused | beforeSwap afterSwap afterSwapReturnDelta
            0040  | 8388608 | refused | afterSwap
            """)
    void table(String flags, int fee, String support, String detail) {
        Address hooks = flags == null ? Address.ZERO : hooks(Integer.parseInt(flags, 16));
        QuoteSupport s = QuoteSupport.of(v4(hooks, fee));
        assertThat(s.wireName()).as(s.reason()).isEqualTo(support);
        switch (s) {
            case QuoteSupport.Exact e -> {
                assertThat(e.dynamicLpFee()).as(s.reason()).isEqualTo(detail.equals("dynamic"));
                assertThat(detail).isIn("static", "dynamic");
            }
            case QuoteSupport.Refused r -> {
                assertThat(r.hooks()).isEqualTo(hooks);
                assertThat(r.reason()).contains(hooks.toString());
                if (detail.equals("invalid")) {
                    assertThat(r.reason()).contains("isValidHookAddress");
                } else {
                    List<String> named = Arrays.asList(detail.split(" "));
                    assertThat(r.permissions().stream().map(HookPermission::solidityName).toList()).containsExactlyElementsOf(named);
                    named.forEach(n -> assertThat(r.reason()).contains(n));
                }
            }
        }
    }

    /** Every one of the 2^14 flag combinations, static and dynamic fee, against the rule written out on raw bits. */
    @Test
    void everyCombination() {
        int swapBits = 0x80 | 0x40 | 0x08 | 0x04; // beforeSwap, afterSwap, beforeSwapReturnDelta, afterSwapReturnDelta
        int exact = 0;
        int refused = 0;
        for (int bits = 0; bits < 1 << 14; bits++) {
            for (int fee : new int[] {3000, DYNAMIC}) {
                boolean orphanDelta = (bits & 0x08) != 0 && (bits & 0x80) == 0 || (bits & 0x04) != 0 && (bits & 0x40) == 0
                        || (bits & 0x02) != 0 && (bits & 0x400) == 0 || (bits & 0x01) != 0 && (bits & 0x100) == 0;
                boolean valid = !orphanDelta && (bits != 0 || fee == DYNAMIC);
                QuoteSupport s = QuoteSupport.ofV4(hooks(bits), fee);
                String where = "bits=0x" + Integer.toHexString(bits) + " fee=" + fee + ": " + s.reason();
                if (valid && (bits & swapBits) == 0) {
                    assertThat(s).as(where).isInstanceOf(QuoteSupport.Exact.class);
                    assertThat(((QuoteSupport.Exact) s).dynamicLpFee()).as(where).isEqualTo(fee == DYNAMIC);
                    exact++;
                } else {
                    assertThat(s).as(where).isInstanceOf(QuoteSupport.Refused.class);
                    List<Integer> expected = new ArrayList<>();
                    for (int b : new int[] {7, 6, 3, 2}) {
                        if ((bits & 1 << b) != 0) {
                            expected.add(b);
                        }
                    }
                    if (valid) {
                        assertThat(((QuoteSupport.Refused) s).permissions().stream().map(HookPermission::bit).toList()).as(where)
                                .containsExactlyElementsOf(expected);
                    }
                    refused++;
                }
            }
        }
        assertThat(exact + refused).isEqualTo(2 << 14);
        assertThat(exact).isPositive();
    }

    @Test
    void v2AndV3AreExact() {
        Token a = Token.of(Address.of("0x0000000000000000000000000000000000000001"));
        Token b = Token.of(Address.of("0x0000000000000000000000000000000000000002"));
        PoolDescriptor v3 = new PoolDescriptor(PoolId.of(Address.of("0x00000000000000000000000000000000000000aa")), Protocol.UNISWAP_V3, a, b,
                Address.ZERO, 3000, 60, null);
        assertThat(QuoteSupport.of(v3)).isEqualTo(new QuoteSupport.Exact(false, "uniswap_v3 pool: the pool math is the contract's"));
    }

    private static PoolDescriptor v4(Address hooks, int fee) {
        Token a = Token.of(Address.of("0x0000000000000000000000000000000000000001"));
        Token b = Token.of(Address.of("0x0000000000000000000000000000000000000002"));
        return new PoolDescriptor(PoolId.of(Bytes32.of("0x" + "11".repeat(32))), Protocol.UNISWAP_V4, a, b, Address.ZERO, fee, 60, hooks);
    }

    /** A hooks address whose low 14 bits are {@code bits} and whose higher bits are not all zero. */
    static Address hooks(int bits) {
        return Address.of(String.format("0x5eed00000000000000000000000000000000%04x", 0xc000 | bits));
    }
}
