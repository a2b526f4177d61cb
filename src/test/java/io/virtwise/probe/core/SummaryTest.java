package io.virtwise.probe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class SummaryTest {

	@Test
	void medianOfAnOddCountIsTheMiddleValue() {
		Summary s = Summary.of(List.of(9.0, 7.0, 8.0, 30.0, 7.5));
		assertThat(s.median()).isEqualTo(8.0);
		assertThat(s.min()).isEqualTo(7.0);
		assertThat(s.max()).isEqualTo(30.0);
		assertThat(s.count()).isEqualTo(5);
	}

	@Test
	void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
		assertThat(Summary.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
		assertThat(Summary.of(List.of(5.0)).median()).isEqualTo(5.0);
	}

	@Test
	void nearestRankPercentile() {
		List<Double> hundred = java.util.stream.IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList();
		assertThat(Summary.percentile(hundred, 99)).isEqualTo(99.0);
		assertThat(Summary.percentile(hundred, 50)).isEqualTo(50.0);
		assertThat(Summary.percentile(hundred, 100)).isEqualTo(100.0);
		assertThat(Summary.percentile(List.of(3.0, 1.0, 2.0), 99)).isEqualTo(3.0);
	}

	@Test
	void ratioToTheNativeBaseline() {
		assertThat(Summary.ratio(17.75, 7.1)).isEqualTo(2.5);
		assertThat(Summary.ratio(7.1, null)).isNull();
		assertThat(Summary.ratio(7.1, 0.0)).isNull();
	}

	@Test
	void noValuesOrNonNumbersAreRefusedNotZeroed() {
		assertThatThrownBy(() -> Summary.of(List.of())).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> Summary.of(List.of(1.0, Double.NaN))).isInstanceOf(IllegalArgumentException.class);
	}
}
