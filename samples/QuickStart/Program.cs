Console.WriteLine("PromptGen QuickStart");
