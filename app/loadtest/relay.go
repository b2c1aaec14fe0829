package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// RelayTrainer is the session cookie that makes a connection the trainer on the relay of
// docs/bench/relay, which has no accounts.
const RelayTrainer = "trainer"

// RelayFixture is a run against the relay: nothing to prepare, so the participants' tokens
// are only names, and the rest of the run is the same code as against Cairn.
func RelayFixture(n int) *Fixture {
	f := &Fixture{RunID: "relay", TrainerToken: RelayTrainer, SessionID: 1, CourseID: "relay", Lessons: []string{"relay"}}
	for i := range n {
		f.Participants = append(f.Participants, fmt.Sprintf("participant-%05d", i+1))
	}
	return f
}

// RelayVotes asks the relay at base how many votes it has received since it started.
func RelayVotes(ctx context.Context, base string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+"/votes", nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64))
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("relay votes: HTTP %d", resp.StatusCode)
	}
	return strconv.Atoi(strings.TrimSpace(string(body)))
}
