package io.poolstate.devnet.whales;

import io.poolstate.devnet.DevnetException;
import io.poolstate.devnet.chain.DevChain;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.contract.Artifact;
import io.poolstate.eth.Address;
import io.poolstate.eth.Hex;
import io.poolstate.eth.Keccak256;
import io.poolstate.eth.rpc.JsonRpcClient;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the devnet's {@link WhaleToken} and moves it around. Balances follow a Pareto distribution (shape
 * 1.1: a few holders own most of the supply), ETH balances too; holders' transfers are sent from the holders
 * themselves (Anvil impersonation), several per block. Deterministic for a seed. Owned by the thread driving
 * the {@link DevChain}.
 */
public final class WhaleTokenSeeder {
    private static final Logger LOG = LoggerFactory.getLogger(WhaleTokenSeeder.class);
    private static final BigInteger UNIT = BigInteger.TEN.pow(18);
    private static final long GAS = 200_000;
    private static final int MINTS_PER_BLOCK = 400;

    private final DevChain chain;
    private final Random random;
    private final List<Address> known = new ArrayList<>();
    private final List<Address> receivers = new ArrayList<>();

    public WhaleTokenSeeder(DevChain chain, long seed) {
        this.chain = chain;
        this.random = new Random(seed);
    }

    /**
     * Deploys the token and mints to {@code holders} fresh accounts, the exchange account and {@code contractHolder}.
     *
     * @param mockErc20 the test token's creation code (v4-core's MockERC20)
     * @param contractHolder an address with code that receives a large balance
     */
    public WhaleToken seed(Artifact mockErc20, int holders, Address contractHolder) {
        long started = System.nanoTime();
        chain.queueDeploy("deploy WHALE", withArgs(mockErc20.creationCode(), Abi.encode("(string,string,uint8)", "Whale devnet token", "WHALE", 18)),
                15_000_000);
        var deployed = chain.mineAll(1).get(0).receipt();
        Address token = deployed.contractAddress();
        List<Address> accounts = new ArrayList<>(holders);
        for (int i = 0; i < holders; i++) {
            accounts.add(account(i));
        }
        Address exchange = account(-1);
        setEthBalances(accounts);
        setEthBalances(List.of(exchange));
        for (Address a : accounts) {
            chain.queue("mint WHALE", token, Abi.call("mint(address,uint256)", Abi.addr(a), pareto()), null, GAS);
        }
        BigInteger big = pareto().multiply(BigInteger.valueOf(50));
        chain.queue("mint WHALE exchange", token, Abi.call("mint(address,uint256)", Abi.addr(exchange), big), null, GAS);
        chain.queue("mint WHALE contract", token, Abi.call("mint(address,uint256)", Abi.addr(contractHolder), big), null, GAS);
        chain.mineAll(MINTS_PER_BLOCK);
        known.addAll(accounts);
        chain.eth().rpc().call("anvil_autoImpersonateAccount", true);
        LOG.info("whale token deployed: token={} holders={} block={} seconds={}", token, holders, deployed.blockNumber(),
                (System.nanoTime() - started) / 1_000_000_000.0);
        return new WhaleToken(token, accounts, exchange, contractHolder, deployed.blockNumber());
    }

    /**
     * Mines {@code blocks} blocks of {@code perBlock} transfers between holders: a random share of the sender's
     * balance, sometimes all of it (the sender leaves), sometimes to a new account (a holder appears; new accounts
     * only receive, so a reorg that undoes their funding cannot make their sends fail). Each sender sends at most
     * once per block.
     */
    public void transfers(WhaleToken w, int blocks, int perBlock) {
        for (int b = 0; b < blocks; b++) {
            List<JsonRpcClient.Call> calls = new ArrayList<>(perBlock);
            java.util.Set<Address> senders = new java.util.HashSet<>();
            while (calls.size() < perBlock && senders.size() < known.size()) {
                Address from = known.get(random.nextInt(known.size()));
                if (!senders.add(from)) {
                    continue;
                }
                Address to = random.nextInt(10) == 0 ? newAccount() : random.nextInt(10) == 0 && !receivers.isEmpty()
                        ? receivers.get(random.nextInt(receivers.size())) : known.get(random.nextInt(known.size()));
                calls.add(transfer(w.token(), from, to));
            }
            for (JsonRpcClient.Outcome o : chain.eth().rpc().batch(calls)) {
                if (o instanceof JsonRpcClient.Failure f) {
                    throw new DevnetException("node rejected a WHALE transfer: " + f.error().nodeMessage());
                }
            }
            chain.mineEmpty();
        }
    }

    private JsonRpcClient.Call transfer(Address token, Address from, Address to) {
        // a share of the sender's balance at the last block: it only grows within the block until its one send
        int mode = random.nextInt(20);
        byte[] data;
        if (mode == 0) {
            data = Abi.call("transfer(address,uint256)", Abi.addr(to), balanceOf(token, from));
        } else {
            BigInteger bal = balanceOf(token, from);
            BigInteger amount = bal.multiply(BigInteger.valueOf(1 + random.nextInt(60))).divide(BigInteger.valueOf(100));
            data = Abi.call("transfer(address,uint256)", Abi.addr(to), amount);
        }
        Map<String, Object> tx = new LinkedHashMap<>();
        tx.put("from", from.toString());
        tx.put("to", token.toString());
        tx.put("data", Hex.encode(data));
        tx.put("gas", Hex.quantity(GAS));
        return new JsonRpcClient.Call("eth_sendTransaction", List.of(tx));
    }

    private BigInteger balanceOf(Address token, Address who) {
        byte[] r = chain.eth().call(token, Abi.call("balanceOf(address)", Abi.addr(who)), io.poolstate.eth.rpc.BlockRef.latest());
        return new BigInteger(1, r);
    }

    private Address newAccount() {
        Address a = account(100_000 + receivers.size());
        receivers.add(a);
        return a;
    }

    private void setEthBalances(List<Address> accounts) {
        List<JsonRpcClient.Call> calls = new ArrayList<>(accounts.size());
        for (Address a : accounts) {
            calls.add(new JsonRpcClient.Call("anvil_setBalance", List.of(a.toString(), Hex.quantity(pareto()))));
        }
        chain.eth().rpc().batchResults(calls);
    }

    /** A Pareto(x_m = 1 token, shape 1.1) amount in base units, capped at 10^9 tokens. */
    private BigInteger pareto() {
        double u = 1.0 - random.nextDouble();
        double tokens = Math.min(1e9, Math.pow(u, -1.0 / 1.1));
        return new BigDecimal(tokens).multiply(new BigDecimal(UNIT)).toBigInteger().add(BigInteger.valueOf(random.nextInt(1_000_000)));
    }

    private Address account(int index) {
        byte[] h = Keccak256.hash(ByteBuffer.allocate(12).putLong(0x5748414c45L).putInt(index).array());
        return Address.wrap(java.util.Arrays.copyOfRange(h, 12, 32));
    }

    private static byte[] withArgs(byte[] code, byte[] args) {
        byte[] out = new byte[code.length + args.length];
        System.arraycopy(code, 0, out, 0, code.length);
        System.arraycopy(args, 0, out, code.length, args.length);
        return out;
    }
}
