package dev.specula.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specula.engine.tokenizer.ChatMessage;
import dev.specula.engine.tokenizer.ChatTemplate;
import dev.specula.gguf.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(120)
class ChatCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String model7m() {
        return SharedData.require("models/pycode/pycode-7m-q8_0.gguf").toString();
    }

    private static CliRun runChat(ChatCommand chat, String... args) {
        return CliRun.run(new CommandLine(chat), args);
    }

    private static Terminal dumbTerminal(java.io.InputStream in, ByteArrayOutputStream out) throws IOException {
        return new DumbTerminal("test", Terminal.TYPE_DUMB, in, out, StandardCharsets.UTF_8);
    }

    @Test
    void pipedQuestionIsAnsweredOnceWithTheChatMlPrompt() throws IOException {
        ChatCommand chat = new ChatCommand();
        chat.interactive = false;
        chat.stdin = new ByteArrayInputStream("How do I reverse a list?\n".getBytes(StandardCharsets.UTF_8));
        CliRun r = runChat(chat, "-m", model7m(), "-n", "24");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("specula: the model has no chat template; using ChatML\n", r.err());

        // the same answer as generating from the ChatML rendering of that one question, cut at a ChatML marker
        String rendered = ChatTemplate.chatMl("<|endoftext|>", "<|endoftext|>")
                .render(List.of(new ChatMessage("user", "How do I reverse a list?")), true);
        CliRun g = CliRun.run("generate", "-m", model7m(), "-p", rendered, "-n", "24", "--json");
        assertEquals(0, g.exitCode(), g.err());
        String text = JSON.readTree(g.out()).get("text").asText();
        for (String stop : ChatSession.CHATML_STOPS) {
            int i = text.indexOf(stop);
            if (i >= 0) text = text.substring(0, i);
        }
        assertEquals(text.endsWith("\n") ? text : text + "\n", r.out());
    }

    @Test
    void emptyStdinIsAnError() {
        ChatCommand chat = new ChatCommand();
        chat.interactive = false;
        chat.stdin = new ByteArrayInputStream(new byte[0]);
        CliRun r = runChat(chat, "-m", model7m());
        assertEquals(2, r.exitCode());
        assertEquals("specula: no question on stdin — pipe one in (echo 'question' | specula chat) or run chat in a terminal\n", r.err());
    }

    @Test
    void scriptedSessionWithSlashCommandsAndSaveLoadRoundTrip() throws IOException {
        Path saved = dir.resolve("chat.json");
        String script = String.join("\n",
                "/system You are terse.",
                "def add(a, b):\\",
                "    return a + b",
                "/stats",
                "/save " + saved,
                "/reset",
                "/load " + saved,
                "/strategy lookup",
                "/strategy speculative",
                "/load " + dir.resolve("missing.json"),
                "/bogus",
                "/exit",
                "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChatCommand chat = new ChatCommand();
        chat.interactive = true;
        try (Terminal t = dumbTerminal(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out)) {
            chat.terminal = t;
            CliRun r = runChat(chat, "-m", model7m(), "-n", "12");
            assertEquals(0, r.exitCode(), r.err());
        }
        String shown = out.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("Chatting with pycode-7m (strategy ar). /help lists the commands, Ctrl-D leaves.\n"), shown);
        assertTrue(shown.contains("note: the model has no chat template; using ChatML.\n"), shown);
        assertTrue(shown.contains("system prompt set\n"), shown);
        assertTrue(java.util.regex.Pattern.compile("\\[ar\\] \\d+ tokens, decode ").matcher(shown).find(), shown);
        assertTrue(shown.contains("saved 2 messages to " + saved + "\n"), shown);
        assertTrue(shown.contains("conversation cleared\n"), shown);
        assertTrue(shown.contains("loaded 2 messages from " + saved + "\n"), shown);
        assertTrue(shown.contains("strategy: lookup\n"), shown);
        assertTrue(shown.contains("specula: strategy speculative needs a draft model — start chat with --draft MODEL"), shown);
        assertTrue(shown.contains("specula: file not found: " + dir.resolve("missing.json") + " — check the path\n"), shown);
        assertTrue(shown.contains("unknown command /bogus — /help lists the commands\n"), shown);

        JsonNode j = JSON.readTree(saved.toFile());
        assertEquals("You are terse.", j.get("system").asText());
        assertEquals("user", j.get("messages").get(0).get("role").asText());
        assertEquals("def add(a, b):\n    return a + b", j.get("messages").get(0).get("content").asText());
        assertEquals("assistant", j.get("messages").get(1).get("role").asText());
        assertFalse(j.get("messages").get(1).get("content").asText().contains("<|im_end|>"));
    }

    @Test
    void ctrlCStopsTheAnswerButNotTheChat() throws Exception {
        Path saved = dir.resolve("after-ctrl-c.json");
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keyboard, 1 << 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChatCommand chat = new ChatCommand();
        chat.interactive = true;
        try (Terminal t = dumbTerminal(in, out)) {
            chat.terminal = t;
            Thread user = new Thread(() -> {
                try {
                    keyboard.write("Write a long Python module with many classes.\n".getBytes(StandardCharsets.UTF_8));
                    keyboard.flush();
                    waitFor(out, "using ChatML.\n" + ChatRepl.PROMPT, 20, 20); // 20 characters of the answer are out
                    t.raise(Terminal.Signal.INT);
                    waitFor(out, "[stopped]", 0, 20);
                    keyboard.write(("/save " + saved + "\n").getBytes(StandardCharsets.UTF_8));
                    keyboard.flush();
                    waitFor(out, "saved 2 messages", 0, 20);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                } finally {
                    try {
                        keyboard.close(); // Ctrl-D: end of input leaves the chat
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            user.start();
            CliRun r = runChat(chat, "-m", model7m(), "-n", "1000", "-c", "1024");
            user.join(30_000);
            assertEquals(0, r.exitCode(), r.err());
        }
        String shown = out.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("[stopped]\n"), shown);
        JsonNode j = JSON.readTree(saved.toFile());
        assertEquals(2, j.get("messages").size());
        assertEquals("assistant", j.get("messages").get(1).get("role").asText());
    }

    /** Waits until {@code out} holds {@code text} followed by at least {@code more} characters. */
    private static void waitFor(ByteArrayOutputStream out, String text, int more, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            String s = out.toString(StandardCharsets.UTF_8);
            int i = s.indexOf(text);
            if (i >= 0 && s.length() >= i + text.length() + more) return;
            Thread.sleep(5);
        }
        throw new AssertionError("timed out waiting for '" + text + "' in: " + out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void contextShiftDropsTheOldestTurns() throws IOException {
        String script = "def a():\n" + "def b():\n" + "def c():\n" + "/save " + dir.resolve("s.json") + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChatCommand chat = new ChatCommand();
        chat.interactive = true;
        try (Terminal t = dumbTerminal(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out)) {
            chat.terminal = t;
            CliRun r = runChat(chat, "-m", model7m(), "-n", "24", "-c", "64", "--context-shift");
            assertEquals(0, r.exitCode(), r.err());
        }
        String shown = out.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("specula: context shift: dropped the oldest turns to stay within 64 tokens\n"), shown);
        JsonNode j = JSON.readTree(dir.resolve("s.json").toFile());
        assertEquals("def c():", j.get("messages").get(j.get("messages").size() - 2).get("content").asText());
        assertTrue(j.get("messages").size() < 6, j.toString());
    }

    @Test
    void withoutContextShiftAFullContextIsExplained() throws IOException {
        String script = "def a():\n" + "def b():\n" + "def c():\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChatCommand chat = new ChatCommand();
        chat.interactive = true;
        try (Terminal t = dumbTerminal(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out)) {
            chat.terminal = t;
            CliRun r = runChat(chat, "-m", model7m(), "-n", "24", "-c", "48");
            assertEquals(0, r.exitCode(), r.err());
        }
        String shown = out.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("no longer fits the context of 48 tokens — /reset to start over, or run chat with --context-shift"), shown);
    }
}
