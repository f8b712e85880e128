package io.millrace.state;

/** The struct the tests share across JVMs. */
public interface Account extends Struct<Account.Value> {
    record Value(long balance, long mirror, int transfers, double rate, String owner) {
    }

    long balance();

    void balance(long value);

    long addBalance(long delta);

    boolean compareAndSetBalance(long expected, long value);

    long mirror();

    void mirror(long value);

    int transfers();

    void addTransfers(int delta);

    double rate();

    double addRate(double delta);

    @Length(16)
    String owner();

    void owner(String value);
}
